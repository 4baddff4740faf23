using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// Hierarchical top-T search (paper appendix): the N codewords are grouped under K parent centroids (a deterministic
/// k-means of the codewords, started from every (N/K)-th codeword); a block is compared with the K parents and searched
/// exhaustively inside the T nearest parents' children. O(K + T·N/K) per block.
/// </summary>
public sealed class HierarchicalSearch : IBlockSearch
{
    private readonly float[] _table;
    private readonly float[] _parents;      // K×k
    private readonly int[] _childStart;     // K+1 offsets into _children
    private readonly ushort[] _children;    // codeword indices grouped by parent, ascending within a group
    private readonly int _blockSize;

    /// <summary>Builds <paramref name="parents"/> parent centroids; <paramref name="probes"/> (T) of them are searched per block.</summary>
    public HierarchicalSearch(Codebook codebook, int parents, int probes)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        int n = codebook.Spec.Codewords;
        if (parents < 1 || parents > n) throw new ArgumentOutOfRangeException(nameof(parents), parents, $"parents (K) must be in [1, {n}] (N).");
        if (probes < 1 || probes > parents) throw new ArgumentOutOfRangeException(nameof(probes), probes, $"probes (T) must be in [1, {parents}] (K).");
        _blockSize = codebook.Spec.BlockSize;
        _table = codebook.Table.ToArray();
        Parents = parents;
        Probes = probes;
        int[] owner = Cluster(_table, _blockSize, parents, out _parents);
        _childStart = new int[parents + 1];
        foreach (int p in owner) _childStart[p + 1]++;
        for (int p = 0; p < parents; p++) _childStart[p + 1] += _childStart[p];
        _children = new ushort[n];
        var fill = (int[])_childStart.Clone();
        for (int c = 0; c < n; c++) _children[fill[owner[c]]++] = (ushort)c;
    }

    /// <summary>
    /// Default K = √N rounded up to a power of two, and the smallest T whose distortion stays within 0.5 % of the
    /// exact search on the calibration sample (<see cref="SearchCalibration"/>).
    /// </summary>
    public static HierarchicalSearch WithDefaults(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        int parents = 1;
        while (parents * parents < codebook.Spec.Codewords) parents <<= 1;
        int probes = SearchCalibration.SmallestProbes(codebook, t => new HierarchicalSearch(codebook, parents, t), parents);
        return new HierarchicalSearch(codebook, parents, probes);
    }

    /// <summary>K, the number of parent centroids.</summary>
    public int Parents { get; }

    /// <summary>T, parents searched per block.</summary>
    public int Probes { get; }

    /// <inheritdoc />
    public void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        int k = _blockSize;
        if (blocks.Length != indices.Length * k)
            throw new ArgumentException($"blocks must have indices.Length·k = {indices.Length * k} values, got {blocks.Length}.", nameof(blocks));
        Span<int> probe = stackalloc int[Probes];
        Span<float> probeDist = stackalloc float[Probes];
        ReadOnlySpan<float> table = _table;
        ReadOnlySpan<float> parents = _parents;
        for (int i = 0; i < indices.Length; i++)
        {
            ReadOnlySpan<float> y = blocks.Slice(i * k, k);
            NearestList.Reset(probeDist);
            for (int p = 0; p < Parents; p++) NearestList.Offer(probeDist, probe, Distance(y, parents.Slice(p * k, k)), p);

            float best = float.PositiveInfinity;
            int bestIndex = 0;
            foreach (int p in probe)
            {
                for (int s = _childStart[p]; s < _childStart[p + 1]; s++)
                {
                    int c = _children[s];
                    float d = Distance(y, table.Slice(c * k, k));
                    if (d < best || (d == best && c < bestIndex))
                    {
                        best = d;
                        bestIndex = c;
                    }
                }
            }

            indices[i] = (ushort)bestIndex;
        }
    }

    private static float Distance(ReadOnlySpan<float> y, ReadOnlySpan<float> c)
    {
        float acc = 0f;
        for (int j = 0; j < y.Length; j++)
        {
            float diff = y[j] - c[j];
            acc += diff * diff;
        }

        return acc;
    }

    // Deterministic Lloyd iterations over the codewords themselves (double precision, fixed order, 50 rounds at most).
    private static int[] Cluster(float[] table, int k, int parents, out float[] centroids)
    {
        int n = table.Length / k;
        var centers = new double[parents * k];
        int stride = n / parents;
        for (int p = 0; p < parents; p++)
            for (int j = 0; j < k; j++) centers[p * k + j] = table[p * stride * k + j];

        var owner = new int[n];
        var sums = new double[parents * k];
        var counts = new int[parents];
        for (int round = 0; round < 50; round++)
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
