using System;

namespace FibQuant.Coding;

/// <summary>A partition of R^k into cells: the first stage of <see cref="HierarchicalSearch"/>.</summary>
internal interface ICoarseCells
{
    /// <summary>Block length k.</summary>
    int BlockSize { get; }

    /// <summary>The codewords (N×k, row-major) the cells were built for.</summary>
    float[] Table { get; }

    /// <summary>Number of cells.</summary>
    int Count { get; }

    /// <summary>Owner[c]: the cell that codeword c belongs to (every codeword is a candidate of its own cell).</summary>
    int[] Owner { get; }

    /// <summary>The cell of every k-block of <paramref name="blocks"/>; the same on every machine.</summary>
    void Assign(ReadOnlySpan<float> blocks, Span<ushort> cells);
}
