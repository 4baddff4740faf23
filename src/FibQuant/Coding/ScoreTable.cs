using System;
using System.Numerics.Tensors;

namespace FibQuant.Coding;

/// <summary>Per-query lookup tables LUT_i[n] = ⟨q'_i, c_n⟩: one dot product per (block, codeword), amortised over every cached key.</summary>
public static class ScoreTable
{
    /// <summary>Fills <paramref name="table"/> ((d/k)·N entries, block-major) from a rotated query and an N×k codebook.</summary>
    public static void Build(ReadOnlySpan<float> rotatedQuery, ReadOnlySpan<float> codewords, int blockSize, Span<float> table)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (rotatedQuery.Length % blockSize != 0)
            throw new ArgumentException($"rotatedQuery length {rotatedQuery.Length} is not a multiple of k = {blockSize}.", nameof(rotatedQuery));
        if (codewords.Length % blockSize != 0)
            throw new ArgumentException($"codewords length {codewords.Length} is not a multiple of k = {blockSize}.", nameof(codewords));
        int blocks = rotatedQuery.Length / blockSize;
        int n = codewords.Length / blockSize;
        if (table.Length != blocks * n)
            throw new ArgumentException($"table must have (d/k)·N = {blocks * n} entries, got {table.Length}.", nameof(table));

        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<float> q = rotatedQuery.Slice(i * blockSize, blockSize);
            Span<float> row = table.Slice(i * n, n);
            for (int c = 0; c < n; c++) row[c] = TensorPrimitives.Dot(q, codewords.Slice(c * blockSize, blockSize));
        }
    }
}
