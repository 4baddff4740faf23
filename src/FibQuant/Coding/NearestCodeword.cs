using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FibQuant.Design;

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
        _transposed = new float[_blockSize * _codewords];
        ReadOnlySpan<float> table = codebook.Table;
        for (int n = 0; n < _codewords; n++)
            for (int j = 0; j < _blockSize; j++)
                _transposed[j * _codewords + n] = table[n * _blockSize + j];
    }

    /// <summary>Index of the codeword nearest to <paramref name="block"/> (length k) in squared Euclidean distance.</summary>
    public int Find(ReadOnlySpan<float> block)
    {
        if (block.Length != _blockSize)
            throw new ArgumentException($"block must have length k = {_blockSize}, got {block.Length}.", nameof(block));
        return FindUnchecked(ref MemoryMarshal.GetReference(block));
    }

    /// <summary>Encodes every k-block of <paramref name="blocks"/> (length a multiple of k) into <paramref name="indices"/>.</summary>
    public void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        if (blocks.Length != indices.Length * _blockSize)
            throw new ArgumentException($"blocks must have indices.Length·k = {indices.Length * _blockSize} values, got {blocks.Length}.", nameof(blocks));
        ref float start = ref MemoryMarshal.GetReference(blocks);
        if (_blockSize == 1)
        {
            ScalarBlocks(blocks, indices);
            return;
        }

        int done = 0;
        if (_codewords <= BlockParallelSearch.MaxCodewords && blocks.Length <= BlockParallelSearch.MaxValues)
            done = BlockParallelSearch.Run(blocks, _transposed, _blockSize, _codewords, indices);
        for (int i = done; i < indices.Length; i++)
            indices[i] = (ushort)FindUnchecked(ref Unsafe.Add(ref start, i * _blockSize));
    }

    private int FindUnchecked(ref float y)
    {
        int n = _codewords;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count) return Find512(ref y);
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count) return Find256(ref y);
        if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count) return Find128(ref y);
        return FindScalar(ref y);
    }

    private int FindScalar(ref float y)
    {
        int n = _codewords;
        ref float table = ref MemoryMarshal.GetArrayDataReference(_transposed);
        float best = float.PositiveInfinity;
        int bestIndex = 0;
        for (int c = 0; c < n; c++)
        {
            float acc = 0f;
            for (int j = 0; j < _blockSize; j++)
            {
                float diff = Unsafe.Add(ref y, j) - Unsafe.Add(ref table, j * n + c);
                acc += diff * diff;
            }

            if (acc < best)
            {
                best = acc;
                bestIndex = c;
            }
        }

        return bestIndex;
    }

    private int Find512(ref float y)
    {
        int n = _codewords;
        ref float table = ref MemoryMarshal.GetArrayDataReference(_transposed);
        var best = Vector512.Create(float.PositiveInfinity);
        var bestIndex = Vector512<int>.Zero;
        var index = Vector512<int>.Indices;
        var step = Vector512.Create(Vector512<float>.Count);
        for (int c = 0; c < n; c += Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (int j = 0; j < _blockSize; j++)
            {
                var diff = Vector512.Create(Unsafe.Add(ref y, j)) - Vector512.LoadUnsafe(ref table, (nuint)(j * n + c));
                acc += diff * diff;
            }

            var less = Vector512.LessThan(acc, best);
            best = Vector512.ConditionalSelect(less, acc, best);
            bestIndex = Vector512.ConditionalSelect(less.AsInt32(), index, bestIndex);
            index += step;
        }

        return Reduce(best, bestIndex);
    }

    private int Find256(ref float y)
    {
        int n = _codewords;
        ref float table = ref MemoryMarshal.GetArrayDataReference(_transposed);
        var best = Vector256.Create(float.PositiveInfinity);
        var bestIndex = Vector256<int>.Zero;
        var index = Vector256<int>.Indices;
        var step = Vector256.Create(Vector256<float>.Count);
        for (int c = 0; c < n; c += Vector256<float>.Count)
        {
            var acc = Vector256<float>.Zero;
            for (int j = 0; j < _blockSize; j++)
            {
                var diff = Vector256.Create(Unsafe.Add(ref y, j)) - Vector256.LoadUnsafe(ref table, (nuint)(j * n + c));
                acc += diff * diff;
            }

            var less = Vector256.LessThan(acc, best);
            best = Vector256.ConditionalSelect(less, acc, best);
            bestIndex = Vector256.ConditionalSelect(less.AsInt32(), index, bestIndex);
            index += step;
        }

        return Reduce(best, bestIndex);
    }

    private int Find128(ref float y)
    {
        int n = _codewords;
        ref float table = ref MemoryMarshal.GetArrayDataReference(_transposed);
        var best = Vector128.Create(float.PositiveInfinity);
        var bestIndex = Vector128<int>.Zero;
        var index = Vector128<int>.Indices;
        var step = Vector128.Create(Vector128<float>.Count);
        for (int c = 0; c < n; c += Vector128<float>.Count)
        {
            var acc = Vector128<float>.Zero;
            for (int j = 0; j < _blockSize; j++)
            {
                var diff = Vector128.Create(Unsafe.Add(ref y, j)) - Vector128.LoadUnsafe(ref table, (nuint)(j * n + c));
                acc += diff * diff;
            }

            var less = Vector128.LessThan(acc, best);
            best = Vector128.ConditionalSelect(less, acc, best);
            bestIndex = Vector128.ConditionalSelect(less.AsInt32(), index, bestIndex);
            index += step;
        }

        return Reduce(best, bestIndex);
    }

    // Smallest distance; among equal distances the smallest index — what a sequential strict-less scan returns.
    private static int Reduce<TVector, TIndex>(TVector best, TIndex bestIndex)
        where TVector : struct
        where TIndex : struct
    {
        ReadOnlySpan<float> values = MemoryMarshal.Cast<TVector, float>(new ReadOnlySpan<TVector>(in best));
        ReadOnlySpan<int> indices = MemoryMarshal.Cast<TIndex, int>(new ReadOnlySpan<TIndex>(in bestIndex));
        float value = values[0];
        int index = indices[0];
        for (int lane = 1; lane < values.Length; lane++)
        {
            if (values[lane] < value || (values[lane] == value && indices[lane] < index))
            {
                value = values[lane];
                index = indices[lane];
            }
        }

        return index;
    }

    // k = 1: vectorise across coordinates instead of codewords (N is tiny); same strict-less scan per coordinate.
    private void ScalarBlocks(ReadOnlySpan<float> values, Span<ushort> indices)
    {
        ReadOnlySpan<float> codewords = _transposed;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count <= values.Length; i += Vector512<float>.Count)
            {
                var y = Vector512.Create(values.Slice(i, Vector512<float>.Count));
                var best = Vector512.Create(float.PositiveInfinity);
                var bestIndex = Vector512<int>.Zero;
                for (int c = 0; c < codewords.Length; c++)
                {
                    var diff = y - Vector512.Create(codewords[c]);
                    var acc = diff * diff;
                    var less = Vector512.LessThan(acc, best);
                    best = Vector512.ConditionalSelect(less, acc, best);
                    bestIndex = Vector512.ConditionalSelect(less.AsInt32(), Vector512.Create(c), bestIndex);
                }

                Vector512.Narrow(bestIndex.AsUInt32(), Vector512<uint>.Zero).GetLower().StoreUnsafe(ref MemoryMarshal.GetReference(indices), (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
            {
                var y = Vector256.Create(values.Slice(i, Vector256<float>.Count));
                var best = Vector256.Create(float.PositiveInfinity);
                var bestIndex = Vector256<int>.Zero;
                for (int c = 0; c < codewords.Length; c++)
                {
                    var diff = y - Vector256.Create(codewords[c]);
                    var acc = diff * diff;
                    var less = Vector256.LessThan(acc, best);
                    best = Vector256.ConditionalSelect(less, acc, best);
                    bestIndex = Vector256.ConditionalSelect(less.AsInt32(), Vector256.Create(c), bestIndex);
                }

                Vector256.Narrow(bestIndex.AsUInt32(), Vector256<uint>.Zero).GetLower().StoreUnsafe(ref MemoryMarshal.GetReference(indices), (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<float>.Count <= values.Length; i += Vector128<float>.Count)
            {
                var y = Vector128.Create(values.Slice(i, Vector128<float>.Count));
                var best = Vector128.Create(float.PositiveInfinity);
                var bestIndex = Vector128<int>.Zero;
                for (int c = 0; c < codewords.Length; c++)
                {
                    var diff = y - Vector128.Create(codewords[c]);
                    var acc = diff * diff;
                    var less = Vector128.LessThan(acc, best);
                    best = Vector128.ConditionalSelect(less, acc, best);
                    bestIndex = Vector128.ConditionalSelect(less.AsInt32(), Vector128.Create(c), bestIndex);
                }

                Vector128.Narrow(bestIndex.AsUInt32(), Vector128<uint>.Zero).GetLower().StoreUnsafe(ref MemoryMarshal.GetReference(indices), (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            float y = values[i];
            float best = float.PositiveInfinity;
            int bestIndex = 0;
            for (int c = 0; c < codewords.Length; c++)
            {
                float diff = y - codewords[c];
                float acc = diff * diff;
                if (acc < best)
                {
                    best = acc;
                    bestIndex = c;
                }
            }

            indices[i] = (ushort)bestIndex;
        }
    }
}
