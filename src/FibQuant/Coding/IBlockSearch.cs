using System;

namespace FibQuant.Coding;

/// <summary>Maps the k-blocks of a rotated unit vector to codeword indices.</summary>
public interface IBlockSearch
{
    /// <summary>Encodes every k-block of <paramref name="blocks"/> into <paramref name="indices"/> (blocks.Length = indices.Length·k).</summary>
    void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices);
}

/// <summary>
/// Which block search an encoder uses. <see cref="Auto"/>, the default, picks by codebook size
/// (<see cref="EncoderChoice.For"/>): exact search below <see cref="EncoderChoice.ApproximateFrom"/> codewords, where
/// scoring 16 codewords or 16 blocks per AVX-512 instruction costs as little as the parent scan, selection and group
/// scans of the approximate searches; the hierarchical search from there on, where scoring every codeword dominates and
/// probing a few groups is faster within 0.5 % of exact distortion (benchmarks/FibQuant.Benchmarks/README.md,
/// "Large-N encoders").
/// </summary>
public enum EncoderKind
{
    /// <summary>Exhaustive nearest codeword (SIMD): the reference, O(N) per block.</summary>
    Exact = 0,

    /// <summary>The paper's two-stage search: the shell nearest ‖y‖, then the nearest direction on it, O(L + M_a).</summary>
    TwoStage = 1,

    /// <summary>K parent centroids, exhaustive search inside the top-T parents, O(K + T·N/K).</summary>
    Hierarchical = 2,

    /// <summary>Chosen by codebook size: <see cref="EncoderChoice.For"/>.</summary>
    Auto = 3,
}
