using System;

namespace FibQuant.Coding;

/// <summary>
/// The coarse quantizer of <see cref="HierarchicalSearch"/>: K parent centroids from a deterministic k-means of the
/// codewords (double precision, fixed order, started from every (N/K)-th codeword, 50 rounds at most), and which parent
/// owns each codeword. A block's cell is its nearest centroid under the exact search's order (distance, then index).
/// </summary>
internal sealed class ParentCells : ICoarseCells
{
    private const int Rounds = 50;

    public ParentCells(ReadOnlySpan<float> table, int blockSize, int parents)
    {
        BlockSize = blockSize;
        Count = parents;
        Table = table.ToArray();
        Owner = Cluster(table, blockSize, parents, out float[] centroids);
        Centroids = centroids;
        Transposed = NearestCodeword.Transpose(centroids, blockSize, parents);
    }

    /// <summary>K.</summary>
    public int Count { get; }

    public int BlockSize { get; }

    /// <summary>The codewords, N×k row-major.</summary>
    public float[] Table { get; }

    /// <summary>K×k row-major.</summary>
    public float[] Centroids { get; }

    /// <summary>k×K: the layout the exact search reads.</summary>
    public float[] Transposed { get; }

    /// <summary>Owner[c]: the parent whose centroid is nearest codeword c after the last round.</summary>
    public int[] Owner { get; }

    /// <summary>The cell (nearest centroid) of every k-block of <paramref name="blocks"/>.</summary>
    public void Assign(ReadOnlySpan<float> blocks, Span<ushort> cells) => NearestCodeword.FindAll(new RuntimeDimensions(blocks.Length, BlockSize, Count), blocks, Transposed, cells);

    private static int[] Cluster(ReadOnlySpan<float> table, int k, int parents, out float[] centroids)
    {
        int n = table.Length / k;
        var centers = new double[parents * k];
        int stride = n / parents;
        for (int p = 0; p < parents; p++)
            for (int j = 0; j < k; j++) centers[p * k + j] = table[p * stride * k + j];

        var owner = new int[n];
        var sums = new double[parents * k];
        var counts = new int[parents];
        for (int round = 0; round < Rounds; round++)
        {
            bool changed = round == 0;
            for (int c = 0; c < n; c++)
            {
                double best = double.PositiveInfinity;
                int bestP = 0;
                for (int p = 0; p < parents; p++)
                {
                    double d = 0;
                    for (int j = 0; j < k; j++)
                    {
                        double diff = table[c * k + j] - centers[p * k + j];
                        d += diff * diff;
                    }

                    if (d < best)
                    {
                        best = d;
                        bestP = p;
                    }
                }

                if (owner[c] != bestP) changed = true;
                owner[c] = bestP;
            }

            if (!changed) break;
            Array.Clear(sums);
            Array.Clear(counts);
            for (int c = 0; c < n; c++)
            {
                counts[owner[c]]++;
                for (int j = 0; j < k; j++) sums[owner[c] * k + j] += table[c * k + j];
            }

            for (int p = 0; p < parents; p++)
            {
                if (counts[p] == 0) continue;
                for (int j = 0; j < k; j++) centers[p * k + j] = sums[p * k + j] / counts[p];
            }
        }

        centroids = new float[centers.Length];
        for (int i = 0; i < centers.Length; i++) centroids[i] = (float)centers[i];
        return owner;
    }
}
