using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Design;
using FibQuant.Simd;

namespace FibQuant.Coding;

/// <summary>
/// Exact nearest-codeword search (the reference encoder). The table is stored transposed (k rows of N) so a vector
/// register scores 4, 8 or 16 codewords at once. Every lane computes Σ_j (y_j − c_j)² in the order j = 0…k−1 with
/// separate multiply and add, and ties go to the lowest index: the answer is the same on every instruction set.
/// </summary>
public sealed class NearestCodeword : IBlockSearch
{
    private readonly float[] _transposed; // [j * N + n] = c_n[j]
    private readonly int _blockSize;
    private readonly int _codewords;

    /// <summary>Prepares the search over <paramref name="codebook"/>'s table.</summary>
    public NearestCodeword(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        _blockSize = codebook.Spec.BlockSize;
        _codewords = codebook.Spec.Codewords;
        _transposed = Transpose(codebook.Table, _blockSize, _codewords);
    }

    /// <summary>Index of the codeword nearest to <paramref name="block"/> (length k) in squared Euclidean distance.</summary>
    public int Find(ReadOnlySpan<float> block)
    {
        if (block.Length != _blockSize)
            throw new ArgumentException($"block must have length k = {_blockSize}, got {block.Length}.", nameof(block));
        var dims = new RuntimeDimensions(_blockSize, _blockSize, _codewords);
        return Nearest(in dims, ref MemoryMarshal.GetReference(block), _transposed);
    }

    /// <summary>Encodes every k-block of <paramref name="blocks"/> (length a multiple of k) into <paramref name="indices"/>.</summary>
    public void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        if (blocks.Length != indices.Length * _blockSize)
            throw new ArgumentException($"blocks must have indices.Length·k = {indices.Length * _blockSize} values, got {blocks.Length}.", nameof(blocks));
        var dims = new RuntimeDimensions(blocks.Length, _blockSize, _codewords);
        FindAll(in dims, blocks, _transposed, indices);
    }

    /// <summary>The k×N transposed layout ([j·N + n] = c_n[j]) the searches read.</summary>
    internal static float[] Transpose(ReadOnlySpan<float> table, int k, int n)
    {
        var transposed = new float[k * n];
        for (int c = 0; c < n; c++)
            for (int j = 0; j < k; j++)
                transposed[j * n + c] = table[c * k + j];
        return transposed;
    }

    /// <summary>
    /// The exact search of the d/k blocks of <paramref name="blocks"/> (d = <paramref name="dims"/>.Dimension values) over a
    /// transposed table; the caller guarantees the lengths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FindAll<TDims>(in TDims dims, ReadOnlySpan<float> blocks, ReadOnlySpan<float> transposed, Span<ushort> indices)
        where TDims : struct, ICodecDimensions
    {
        int k = dims.BlockSize, count = dims.Dimension / k;
        int done = 0;
        if (dims.Codewords <= BlockParallelSearch.MaxCodewords && dims.Dimension <= BlockParallelSearch.MaxValues)
            done = BlockParallelSearch.Run(in dims, blocks, transposed, indices);
        ref float start = ref MemoryMarshal.GetReference(blocks);
        ref ushort output = ref MemoryMarshal.GetReference(indices);
        for (int i = done; i < count; i++)
            Unsafe.Add(ref output, i) = (ushort)Nearest(in dims, ref Unsafe.Add(ref start, i * k), transposed);
    }

    /// <summary>Codeword-parallel scan of one block on the widest path N fills.</summary>
    internal static int Nearest<TDims>(in TDims dims, ref float y, ReadOnlySpan<float> transposed) where TDims : struct, ICodecDimensions
    {
        ref float table = ref MemoryMarshal.GetReference(transposed);
        int n = dims.Codewords;
        if (Lanes512.IsAccelerated && n >= Lanes512.Count && n % Lanes512.Count == 0) return Nearest<Lanes512, TDims>(in dims, ref y, ref table);
        if (Lanes256.IsAccelerated && n >= Lanes256.Count && n % Lanes256.Count == 0) return Nearest<Lanes256, TDims>(in dims, ref y, ref table);
        if (Lanes128.IsAccelerated && n >= Lanes128.Count && n % Lanes128.Count == 0) return Nearest<Lanes128, TDims>(in dims, ref y, ref table);
        return Nearest<ScalarLanes, TDims>(in dims, ref y, ref table);
    }

    internal static int Nearest<TLanes, TDims>(in TDims dims, ref float y, ref float table)
        where TLanes : struct, IFloatLanes<TLanes>
        where TDims : struct, ICodecDimensions
    {
        int k = dims.BlockSize, n = dims.Codewords;
        TLanes best = TLanes.Broadcast(float.PositiveInfinity);
        TLanes bestIndex = TLanes.Broadcast(0f);
        TLanes index = TLanes.Indices;
        TLanes step = TLanes.Broadcast(TLanes.Count);
        for (int c = 0; c < n; c += TLanes.Count)
        {
            // The sum starts at coordinate 0's square: 0 + y is y for every y ≥ 0, so the bits are those of a sum from 0.
            TLanes diff = TLanes.Broadcast(y) - TLanes.Load(ref table, (nuint)c);
            TLanes acc = diff * diff;
            for (int j = 1; j < k; j++)
            {
                diff = TLanes.Broadcast(Unsafe.Add(ref y, j)) - TLanes.Load(ref table, (nuint)(j * n + c));
                acc += diff * diff;
            }

            TLanes less = TLanes.LessThan(acc, best);
            best = TLanes.Select(less, acc, best);
            bestIndex = TLanes.Select(less, index, bestIndex);
            index += step;
        }

        return LaneArgMin.Reduce(best, bestIndex);
    }
}
