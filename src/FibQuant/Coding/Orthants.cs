using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FibQuant.Coding;

/// <summary>
/// The coarse cells of <see cref="HierarchicalSearch"/>'s default: the orthant of a block, i.e. the sign bits of its
/// first min(k, 8) coordinates (2^min(k, 8) cells). A block's cell costs k bit operations instead of the K·k of a scan
/// over parent centroids, and the orthants of a rotated unit vector's blocks are equally likely, so every cell's list is
/// trained on the same share of the sample. Measured at k = 8, N = 1024 and 2048 against k-means parents (K = 64, 128)
/// and orthant × radius cells (2 to 8 radius bins): the shortest lists for the same distortion per training block.
/// </summary>
internal sealed class Orthants : ICoarseCells
{
    private const int MaxSignBits = 8;

    public Orthants(ReadOnlySpan<float> table, int blockSize)
    {
        BlockSize = blockSize;
        SignBits = Math.Min(blockSize, MaxSignBits);
        Table = table.ToArray();
        Owner = new int[table.Length / blockSize];
        for (int c = 0; c < Owner.Length; c++) Owner[c] = CellOf(ref Table[c * blockSize]);
    }

    public int BlockSize { get; }

    public float[] Table { get; }

    /// <summary>The orthant of each codeword.</summary>
    public int[] Owner { get; }

    /// <summary>Coordinates whose sign selects the cell.</summary>
    public int SignBits { get; }

    /// <summary>2^bits.</summary>
    public int Count => 1 << SignBits;

    public void Assign(ReadOnlySpan<float> blocks, Span<ushort> cells)
    {
        ref float start = ref MemoryMarshal.GetReference(blocks);
        for (int i = 0; i < cells.Length; i++) cells[i] = (ushort)CellOf(ref Unsafe.Add(ref start, i * BlockSize));
    }

    // Bit j is the sign bit of y_j (−0 counts as negative: the bits decide, so every machine agrees).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CellOf(ref float y)
    {
        int signs = 0;
        for (int j = 0; j < SignBits; j++) signs |= (int)((uint)BitConverter.SingleToInt32Bits(Unsafe.Add(ref y, j)) >> 31) << j;
        return signs;
    }
}
