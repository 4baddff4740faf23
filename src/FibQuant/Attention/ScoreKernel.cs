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
    /// N = 16 only: 8-bit quantised score table with in-register shuffles (<see cref="FastScanKernel"/>). Each score
    /// is off by at most ν_t · <see cref="QuantizedScoreTable.MaxAbsoluteError"/> (times the attention scale).
    /// </summary>
    FastScan = 1,
}
