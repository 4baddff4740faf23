using System;

namespace FibQuant.Coding;

/// <summary>Maps the k-blocks of a rotated unit vector to codeword indices.</summary>
public interface IBlockSearch
{
    /// <summary>Encodes every k-block of <paramref name="blocks"/> into <paramref name="indices"/> (blocks.Length = indices.Length·k).</summary>
    void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices);
}

/// <summary>
/// Which block search an encoder uses. <see cref="Auto"/>, the default, picks by codebook shape
/// (<see cref="EncoderChoice.For(FibQuant.Design.CodebookSpec)"/>): the exact search below
/// <see cref="EncoderChoice.ApproximateFrom"/> codewords (or for k &lt; 8), where scoring 16 codewords or 16 blocks per
/// AVX-512 instruction over the whole table costs about as little as finding a block's cell and scanning its candidate
/// list; the hierarchical search from there on (k ≥ 8), where scoring every codeword dominates and scanning a cell's list
/// of ~100–170 candidates is ≥ 3× faster within 1 % of exact distortion (benchmarks/FibQuant.Benchmarks/README.md,
/// "Large-N encoders"). Generated codecs make the same choice (same codes).
/// </summary>
public enum EncoderKind
{
    /// <summary>Exhaustive nearest codeword (SIMD): the reference, O(N) per block.</summary>
    Exact = 0,

    /// <summary>The paper's two-stage search: the shell nearest ‖y‖, then the nearest direction on it, O(L + M_a).</summary>
    TwoStage = 1,

    /// <summary>Coarse cells, then the nearest codeword among the candidates of the block's cell(s): <see cref="HierarchicalSearch"/>.</summary>
    Hierarchical = 2,

    /// <summary>Chosen by codebook size: <see cref="EncoderChoice.For(FibQuant.Design.CodebookSpec)"/>.</summary>
    Auto = 3,
}
