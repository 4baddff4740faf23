namespace FibQuant.Attention;

/// <summary>
/// How a page of the compressed cache stores codeword indices. Every layout is block-major inside groups of
/// <see cref="PagedCodes.GroupTokens"/> tokens, so a scan reads one block's codes for 32 tokens contiguously.
/// </summary>
public enum CodeLayout
{
    /// <summary>
    /// N = 16: 4-bit codes, FAISS fast-scan style. For each group and block, 16 bytes; byte j holds token j's code in
    /// its low nibble and token j+16's code in its high nibble. Blocks are padded to a multiple of 4 (code 0).
    /// </summary>
    Nibbles = 0,

    /// <summary>N ≤ 256 (other than 16): one byte per code, 32 bytes per group and block.</summary>
    Bytes = 1,

    /// <summary>N &gt; 256: one little-endian 16-bit value per code, 32 values per group and block.</summary>
    UInt16 = 2,
}
