namespace FibQuant.Attention;

/// <summary>Which kernel computes the compressed-domain key scores.</summary>
public enum ScoreKernel
{
    /// <summary>
    /// Fp32 score table looked up per block (AVX-512 lane permutes for N = 16, 32, 64; gathers otherwise): exact up to
    /// fp32 rounding. Works for every N.
    /// </summary>
    ExactTable = 0,

    /// <summary>
    /// 8-bit quantised score table with in-register shuffles: <see cref="FastScanKernel"/> for N = 16 (every machine),
    /// <see cref="ByteFastScanKernel"/> for packed N = 2, 4, 8, 32, 64 where AVX-512 VBMI is present (see
    /// <c>SupportsFastScan</c> on the caches); d/k ≤ 256. Each score is off by at most ν_t times the table's
    /// <see cref="QuantizedScoreTable.MaxAbsoluteError"/> (<see cref="QuantizedByteScoreTable.MaxAbsoluteError"/>), times
    /// the attention scale.
    /// </summary>
    FastScan = 1,
}
