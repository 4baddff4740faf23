namespace FibQuant.Attention;

/// <summary>
/// Which fast-scan kernel scores a key stream: <see cref="FastScanKernel"/> for N = 16 (nibbles, every machine) or
/// <see cref="ByteFastScanKernel"/> for packed N ∈ {2, 4, 8, 32, 64} where AVX-512 VBMI is present; d/k ≤ 256 for both
/// (16-bit sums). The answer depends only on the codebook and the machine, so a cache's default kernel is fixed per machine.
/// </summary>
internal static class FastScanSupport
{
    /// <summary>The message of a refused <see cref="ScoreKernel.FastScan"/>.</summary>
    public const string Requirement =
        "FastScan needs a key codebook with d/k ≤ 256 and N = 16, or N ∈ {2, 4, 8, 32, 64} on a machine with AVX-512 VBMI.";

    /// <summary>Whether the nibble kernel applies.</summary>
    public static bool Nibbles(PagedCodes keys) => keys.Storage == CodeLayout.Nibbles && keys.StoredBlocks <= QuantizedScoreTable.MaxBlocks;

    /// <summary>Whether the packed-byte kernel applies on this machine.</summary>
    public static bool Packed(PagedCodes keys) =>
        keys.Storage == CodeLayout.Packed && ByteFastScanKernel.IsAccelerated && ByteFastScanKernel.Supports(keys.Codewords, keys.Blocks);

    /// <summary>Whether either kernel applies.</summary>
    public static bool Supports(PagedCodes keys) => Nibbles(keys) || Packed(keys);
}
