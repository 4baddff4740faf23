using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// Hierarchical search (paper appendix): the codewords are grouped under coarse cells; a block finds its cell(s) and is
/// searched exhaustively among their candidates. The constructors build the paper's variant: K parent centroids
/// (<see cref="ParentCells"/>, a k-means of the codewords) whose T nearest are probed, each parent's candidates being its
/// children (coverage 0, O(K + T·N/K)) plus, with coverage q &gt; 0, the codewords that were nearest for a share q of the
/// training blocks in its cell (<see cref="CandidateLists"/>). <see cref="WithDefaults(Codebook)"/> replaces the parent
/// scan by the block's orthant (<see cref="Orthants"/>, k bit operations) and probes that one cell's candidate list, whose
/// coverage is calibrated to stay within 0.5 % of the exact search's distortion. The answer is the best candidate (ties:
/// lowest index), the same on every vector width, and depends only on the table, d and k: a generated codec builds the
/// same search as <see cref="FibQuantizer"/>.
/// </summary>
public sealed class HierarchicalSearch : IBlockSearch
{
    private const int StackLimit = 1024;

    // Seeds of the fixed training and calibration samples (evaluation stream): not the design seed, which a generated
    // shape does not carry, so both codecs derive the same lists from the table alone.
    private const ulong TrainingSeed = 0x13_0001;
    private const ulong CalibrationSeed = 0x13_0002;

    private readonly ICoarseCells _cells;
    private readonly CandidateGroups? _parents;   // one group: the K parent centroids (T > 1 ranks them by distance)
    private readonly CandidateGroups _candidates; // group p: parent p's candidates, ascending index
    private readonly int _blockSize;

    /// <summary>The paper's variant: <paramref name="parents"/> parent centroids, the children of <paramref name="probes"/> (T) of them searched per block.</summary>
    public HierarchicalSearch(Codebook codebook, int parents, int probes)
        : this(codebook, parents, probes, 0.0)
    {
    }

    /// <summary>
    /// <paramref name="parents"/> (K) parent centroids, <paramref name="probes"/> (T) of them searched per block, each
    /// with its children and the training winners covering a share <paramref name="coverage"/> of its cell.
    /// </summary>
    public HierarchicalSearch(Codebook codebook, int parents, int probes, double coverage)
        : this(Prepare(codebook, parents, probes, coverage), probes, coverage)
    {
    }

    private HierarchicalSearch((ICoarseCells Cells, CandidateLists? Lists) prepared, int probes, double coverage)
    {
        (_cells, CandidateLists? lists) = prepared;
        Probes = probes;
        Coverage = coverage;
        int[] start, members;
        if (lists is null) Children(_cells.Owner, _cells.Count, out start, out members);
        else lists.Truncate(coverage, out start, out members);
        _blockSize = _cells.BlockSize;
        float[] table = _cells.Table;
        if (_cells is ParentCells parents)
        {
            var all = new int[parents.Count];
            for (int p = 0; p < all.Length; p++) all[p] = p;
            _parents = new CandidateGroups(parents.Centroids, _blockSize, [0, parents.Count], all);
        }

        _candidates = new CandidateGroups(table, _blockSize, start, members);
        MeanCandidates = lists?.MeanScanned(start) ?? MeanWidth(start);
    }

    /// <summary>
    /// The calibrated default: the block's orthant as its cell (2^min(k, 8) cells), one probe, and the smallest list
    /// coverage (0.9 … 1) whose distortion stays within 0.5 % of the exact search on the calibration sample; if even full
    /// lists miss too often, parent centroids (K = N/16) with as many probes as that tolerance needs.
    /// </summary>
    public static HierarchicalSearch WithDefaults(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        return WithDefaults(codebook.Table, codebook.Spec.Dimension, codebook.Spec.BlockSize);
    }

    /// <summary><see cref="WithDefaults(Codebook)"/> from the table (N×k, row-major) and d alone.</summary>
    internal static HierarchicalSearch WithDefaults(ReadOnlySpan<float> table, int dimension, int blockSize)
    {
        int n = table.Length / blockSize;
        float[] sample = SearchCalibration.Sample(dimension, blockSize, SearchCalibration.SampleBlocks, CalibrationSeed);
        float[] training = SearchCalibration.Sample(dimension, blockSize, TrainingBlocks(n, 1 << Math.Min(blockSize, 8)), TrainingSeed);
        var orthants = new Orthants(table, blockSize);
        var prepared = ((ICoarseCells)orthants, (CandidateLists?)Train(orthants, training, table, n));
        double[] coverages = CoverageLadder.ToArray();
        int chosen = SearchCalibration.FirstWithin(table, blockSize, sample, coverages.Length,
            s => new HierarchicalSearch(prepared, 1, coverages[s]), SearchCalibration.DefaultTolerance);
        if (chosen >= 0) return new HierarchicalSearch(prepared, 1, coverages[chosen]);

        // Lists that miss too often for this table: the paper's search over parent centroids, probing more of them.
        var parents = new ParentCells(table, blockSize, Math.Max(1, n / 16));
        var byParent = ((ICoarseCells)parents, (CandidateLists?)Train(parents, training, table, n));
        int probes = 1 + SearchCalibration.FirstWithin(table, blockSize, sample, parents.Count - 1,
            t => new HierarchicalSearch(byParent, t + 1, 1.0), SearchCalibration.DefaultTolerance);
        return new HierarchicalSearch(byParent, probes == 0 ? parents.Count : probes, 1.0);
    }

    /// <summary>K, the number of coarse cells (parent centroids, or orthants for the default).</summary>
    public int Parents => _cells.Count;

    /// <summary>T, parents searched per block.</summary>
    public int Probes { get; }

    /// <summary>Share of each cell's training blocks whose nearest codeword is among the cell's candidates (0: children only).</summary>
    public double Coverage { get; }

    /// <summary>Candidates scanned per block with one probe, averaged over the cells (each list padded to 16).</summary>
    public double MeanCandidates { get; }

    // Cheapest first; each step roughly halves the share of blocks whose nearest codeword is not a candidate.
    private static ReadOnlySpan<double> CoverageLadder => [0.9, 0.95, 0.975, 0.99, 0.995, 0.998, 0.999, 1.0];

    /// <inheritdoc />
    [SkipLocalsInit]
    public void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        int k = _blockSize;
        if (blocks.Length != indices.Length * k)
            throw new ArgumentException($"blocks must have indices.Length·k = {indices.Length * k} values, got {blocks.Length}.", nameof(blocks));
        if (Probes == 1) FindInNearestCell(blocks, indices);
        else FindInNearestCells(blocks, indices);
    }

    // One probe: the cells of all blocks by one exact search over the K centroids (block-parallel for K ≤ 64), then each
    // block's candidate list.
    [SkipLocalsInit]
    private void FindInNearestCell(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        ushort[]? rented = indices.Length > StackLimit ? ArrayPool<ushort>.Shared.Rent(indices.Length) : null;
        Span<ushort> cells = rented is null ? stackalloc ushort[indices.Length] : rented.AsSpan(0, indices.Length);
        _cells.Assign(blocks, cells);
        ref float start = ref MemoryMarshal.GetReference(blocks);
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (ushort)_candidates.NearestByScore(ref Unsafe.Add(ref start, i * _blockSize), cells[i]);
        }

        if (rented is not null) ArrayPool<ushort>.Shared.Return(rented);
    }

    [SkipLocalsInit]
    private void FindInNearestCells(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        CandidateGroups parents = _parents!; // more than one probe: only over parent centroids (the constructor's)
        int width = parents.Width(0);
        // K and T are at most N (65536): beyond the stack budget the scratch comes from the pool, not the heap.
        int[]? rentedProbe = Probes > StackLimit ? ArrayPool<int>.Shared.Rent(Probes) : null;
        float[]? rentedDistance = width > StackLimit ? ArrayPool<float>.Shared.Rent(width) : null;
        Span<int> probe = rentedProbe is null ? stackalloc int[Probes] : rentedProbe.AsSpan(0, Probes);
        Span<float> parentDistance = rentedDistance is null ? stackalloc float[width] : rentedDistance.AsSpan(0, width);
        ref float start = ref MemoryMarshal.GetReference(blocks);
        for (int i = 0; i < indices.Length; i++)
        {
            ref float y = ref Unsafe.Add(ref start, i * _blockSize);
            parents.Distances(ref y, 0, parentDistance);
            NearestParents(parentDistance.Slice(0, Parents), probe);
            indices[i] = (ushort)_candidates.Nearest(ref y, probe);
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

    private static (ICoarseCells, CandidateLists?) Prepare(Codebook codebook, int parents, int probes, double coverage)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        int n = codebook.Spec.Codewords;
        if (parents < 1 || parents > n) throw new ArgumentOutOfRangeException(nameof(parents), parents, $"parents (K) must be in [1, {n}] (N).");
        if (probes < 1 || probes > parents) throw new ArgumentOutOfRangeException(nameof(probes), probes, $"probes (T) must be in [1, {parents}] (K).");
        if (!(coverage >= 0.0 && coverage <= 1.0)) throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "coverage must be in [0, 1].");
        var cells = new ParentCells(codebook.Table, codebook.Spec.BlockSize, parents);
        if (coverage == 0) return (cells, null);
        float[] training = SearchCalibration.Sample(codebook.Spec.Dimension, codebook.Spec.BlockSize, TrainingBlocks(n, parents), TrainingSeed);
        return (cells, Train(cells, training, codebook.Table, n));
    }

    // Lists generalise from the sample once every cell sees about 2048 blocks (k = 8: 1024 per cell missed too often at
    // N = 1024 and 2048) and every codeword about 256; at most 2^20 blocks bound the construction time at large N.
    private static int TrainingBlocks(int n, int cells) => (int)Math.Min(1 << 20, Math.Max(2048L * cells, 256L * n));

    // The training blocks labelled with their cell and exact nearest codeword.
    private static CandidateLists Train(ICoarseCells cells, float[] training, ReadOnlySpan<float> table, int n)
    {
        int k = cells.BlockSize, count = training.Length / k;
        var cellOf = new ushort[count];
        var nearest = new ushort[count];
        cells.Assign(training, cellOf);
        NearestCodeword.FindAll(new RuntimeDimensions(training.Length, k, n), training, NearestCodeword.Transpose(table, k, n), nearest);
        return new CandidateLists(cells.Owner, cells.Count, cellOf, nearest);
    }

    private static void Children(int[] owner, int parents, out int[] start, out int[] members)
    {
        start = new int[parents + 1];
        foreach (int p in owner) start[p + 1]++;
        for (int p = 0; p < parents; p++) start[p + 1] += start[p];
        members = new int[owner.Length];
        var fill = (int[])start.Clone();
        for (int c = 0; c < owner.Length; c++) members[fill[owner[c]]++] = c;
    }

    private static double MeanWidth(int[] start)
    {
        double sum = 0;
        for (int p = 0; p + 1 < start.Length; p++) sum += (start[p + 1] - start[p] + 15) / 16 * 16;
        return sum / (start.Length - 1);
    }
}
