using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// Hierarchical top-T search (paper appendix): the N codewords are grouped under K parent centroids (a deterministic
/// k-means of the codewords, started from every (N/K)-th codeword); a block is compared with the K parents and searched
/// exhaustively inside the T nearest parents' children. O(K + T·N/K) per block.
/// </summary>
public sealed class HierarchicalSearch : IBlockSearch
{
    private const int StackLimit = 1024;
    private readonly CandidateGroups _parents;  // one group: the K parent centroids
    private readonly CandidateGroups _children; // group p: the codewords owned by parent p, ascending index
    private readonly int _blockSize;

    /// <summary>Builds <paramref name="parents"/> parent centroids; <paramref name="probes"/> (T) of them are searched per block.</summary>
    public HierarchicalSearch(Codebook codebook, int parents, int probes)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        int n = codebook.Spec.Codewords;
        if (parents < 1 || parents > n) throw new ArgumentOutOfRangeException(nameof(parents), parents, $"parents (K) must be in [1, {n}] (N).");
        if (probes < 1 || probes > parents) throw new ArgumentOutOfRangeException(nameof(probes), probes, $"probes (T) must be in [1, {parents}] (K).");
        _blockSize = codebook.Spec.BlockSize;
        float[] table = codebook.Table.ToArray();
        Parents = parents;
        Probes = probes;
        int[] owner = Cluster(table, _blockSize, parents, out float[] centroids);
        var childStart = new int[parents + 1];
        foreach (int p in owner) childStart[p + 1]++;
        for (int p = 0; p < parents; p++) childStart[p + 1] += childStart[p];
        var children = new int[n];
        var fill = (int[])childStart.Clone();
        for (int c = 0; c < n; c++) children[fill[owner[c]]++] = c;
        _children = new CandidateGroups(table, _blockSize, childStart, children);
        var all = new int[parents];
        for (int p = 0; p < parents; p++) all[p] = p;
        _parents = new CandidateGroups(centroids, _blockSize, [0, parents], all);
    }

    /// <summary>
    /// Default K = √N / 2 rounded up to a power of two (measured at N = 1024: K = 16 beats K = 32, 64 and 128, because
    /// choosing the T nearest parents costs T·K and the children scan T·N/K), and the smallest T whose distortion stays within 0.5 % of the
    /// exact search on the calibration sample (<see cref="SearchCalibration"/>).
    /// </summary>
    public static HierarchicalSearch WithDefaults(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        int parents = 1;
        while (4 * parents * parents < codebook.Spec.Codewords) parents <<= 1;
        int probes = SearchCalibration.SmallestProbes(codebook, t => new HierarchicalSearch(codebook, parents, t), parents);
        return new HierarchicalSearch(codebook, parents, probes);
    }

    /// <summary>K, the number of parent centroids.</summary>
    public int Parents { get; }

    /// <summary>T, parents searched per block.</summary>
    public int Probes { get; }

    /// <inheritdoc />
    [SkipLocalsInit]
    public void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        int k = _blockSize;
        if (blocks.Length != indices.Length * k)
            throw new ArgumentException($"blocks must have indices.Length·k = {indices.Length * k} values, got {blocks.Length}.", nameof(blocks));
        int width = _parents.Width(0);
        // K and T are at most N (65536): beyond the stack budget the scratch comes from the pool, not the heap.
        int[]? rentedProbe = Probes > StackLimit ? ArrayPool<int>.Shared.Rent(Probes) : null;
        float[]? rentedDistance = width > StackLimit ? ArrayPool<float>.Shared.Rent(width) : null;
        Span<int> probe = rentedProbe is null ? stackalloc int[Probes] : rentedProbe.AsSpan(0, Probes);
        Span<float> parentDistance = rentedDistance is null ? stackalloc float[width] : rentedDistance.AsSpan(0, width);
        ref float start = ref MemoryMarshal.GetReference(blocks);
        for (int i = 0; i < indices.Length; i++)
        {
            ref float y = ref Unsafe.Add(ref start, i * k);
            _parents.Distances(ref y, 0, parentDistance);
            NearestParents(parentDistance.Slice(0, Parents), probe);
            indices[i] = (ushort)_children.Nearest(ref y, probe);
        }

        if (rentedProbe is not null) ArrayPool<int>.Shared.Return(rentedProbe);
        if (rentedDistance is not null) ArrayPool<float>.Shared.Return(rentedDistance);
    }

    // The T parents of smallest (distance, index), by T passes over the K distances; a chosen parent's distance becomes
    // NaN, which no comparison selects again. T·K compares beat an insertion list's branches at these sizes.
    private static void NearestParents(Span<float> distances, Span<int> probe)
    {
        for (int t = 0; t < probe.Length; t++)
        {
            int at = -1;
            float best = float.PositiveInfinity;
            for (int p = 0; p < distances.Length; p++)
            {
                float d = distances[p];
                if (d < best || (at < 0 && !float.IsNaN(d)))
                {
                    best = d;
                    at = p;
                }
            }

            probe[t] = at;
            distances[at] = float.NaN;
        }
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
