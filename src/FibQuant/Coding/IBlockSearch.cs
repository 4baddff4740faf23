using System;

namespace FibQuant.Coding;

/// <summary>Maps the k-blocks of a rotated unit vector to codeword indices.</summary>
public interface IBlockSearch
{
    /// <summary>Encodes every k-block of <paramref name="blocks"/> into <paramref name="indices"/> (blocks.Length = indices.Length·k).</summary>
    void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices);
}

/// <summary>
/// Which block search an encoder uses. <see cref="Exact"/> is the default because it is also the fastest measured for
/// every committed codebook (N ≤ 256, d = 128: benchmarks/FibQuant.Benchmarks/README.md): scoring 16 codewords or 16
/// blocks per AVX-512 instruction costs less than the branches and gathers of the approximate searches, which only
/// pay off when N is so large (the paper's N ≥ 1024) that scoring every codeword dominates.
/// </summary>
public enum EncoderKind
{
    /// <summary>Exhaustive nearest codeword (SIMD): the reference, O(N) per block.</summary>
    Exact = 0,

    /// <summary>The paper's two-stage search: the shell nearest ‖y‖, then the nearest direction on it, O(L + M_a).</summary>
    TwoStage = 1,

    /// <summary>K parent centroids, exhaustive search inside the top-T parents, O(K + T·N/K).</summary>
    Hierarchical = 2,
}
