namespace FibQuant.Attention;

/// <summary>
/// How codeword indices are laid out for a page of the compressed cache or a kernel. Every layout is block-major inside
/// groups of <see cref="PagedCodes.GroupTokens"/> tokens, so a scan reads one block's codes for 32 tokens contiguously.
/// The cache stores N = 16 as <see cref="Nibbles"/> and every other N as <see cref="Packed"/>, so its code bytes equal
/// the format's code bits; the kernels read packed codes unpacked to <see cref="Bytes"/> (N ≤ 256) or
/// <see cref="UInt16"/> (N &gt; 256), one group or page at a time.
/// </summary>
public enum CodeLayout
{
    /// <summary>
    /// N = 16: 4-bit codes, FAISS fast-scan style. For each group and block, 16 bytes; byte j holds token j's code in
    /// its low nibble and token j+16's code in its high nibble. Blocks are padded to a multiple of 4 (code 0).
    /// </summary>
    Nibbles = 0,

    /// <summary>N ≤ 256: one byte per code, 32 bytes per group and block (the kernels' view of packed codes).</summary>
    Bytes = 1,

    /// <summary>N &gt; 256: one little-endian 16-bit value per code, 32 values per group and block (the kernels' view).</summary>
    UInt16 = 2,

    /// <summary>
    /// Any N ≠ 16 as stored by the cache: b = log2 N bits per code, the 32 codes of a group and block back to back in
    /// 4·b bytes (code j in bits [j·b, j·b + b), little-endian), so a token takes B·b bits as in the format.
    /// </summary>
    Packed = 3,
}
