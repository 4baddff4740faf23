using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace FibQuant.Design;

/// <summary>
/// Lloyd–Max (k-means) refinement of a codebook on a training sample, in double precision with a fixed operation order:
/// the result has the same bits whether the assignment step runs on one thread or many.
/// </summary>
public static class LloydMaxRefiner
{
    /// <summary>Stop when the relative drop in distortion falls below this.</summary>
    public const double RelativeTolerance = 1e-5;

    /// <summary>Stop after this many iterations regardless.</summary>
    public const int MaxIterations = 200;

    private const int ChunkSize = 2048;

    /// <summary>
    /// Refines <paramref name="codebook"/> (N×k, row-major) in place. Returns the mean squared error per block of the
    /// returned codebook on the sample, and the iteration count. Empty cells keep their codeword.
    /// </summary>
    [MethodImpl(JitHints.OptimizeNow)]
    public static LloydResult Refine(double[] samples, int blockSize, double[] codebook, bool parallel, CancellationToken cancellationToken)
    {
        if (samples is null) throw new ArgumentNullException(nameof(samples));
        if (codebook is null) throw new ArgumentNullException(nameof(codebook));
        if (blockSize < 1 || samples.Length % blockSize != 0 || codebook.Length % blockSize != 0)
            throw new ArgumentException("Sample and codebook lengths must be multiples of the block size.", nameof(blockSize));

        int count = samples.Length / blockSize;
        int codewords = codebook.Length / blockSize;
        var state = new AssignmentState(count, blockSize, codewords, MaxIterations);
        var sums = new double[codebook.Length];
        var counts = new long[codewords];
        var before = new double[codebook.Length];
        double previous = double.PositiveInfinity;
        double distortion = double.PositiveInfinity;
        int iteration = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Assign(samples, codebook, state, parallel, cancellationToken);
            distortion = 0;
            for (int i = 0; i < count; i++) distortion += state.Error[i];
            distortion /= count;
            iteration++;
            if (iteration >= MaxIterations || previous - distortion <= RelativeTolerance * distortion) break;
            previous = distortion;
            Array.Copy(codebook, before, codebook.Length);
            UpdateCentroids(samples, blockSize, codebook, state.Assignment, sums, counts);
            RecordDrift(before, codebook, state);
        }

        return new LloydResult(distortion, iteration);
    }

    /// <summary>Mean squared error per block of <paramref name="codebook"/> on <paramref name="samples"/> (nearest codeword).</summary>
    public static double Evaluate(double[] samples, int blockSize, double[] codebook, bool parallel, CancellationToken cancellationToken)
    {
        int count = samples.Length / blockSize;
        var state = new AssignmentState(count, blockSize, codebook.Length / blockSize, 0);
        Assign(samples, codebook, state, parallel, cancellationToken);
        double sum = 0;
        for (int i = 0; i < count; i++) sum += state.Error[i];
        return sum / count;
    }

    private static void Assign(double[] samples, double[] codebook, AssignmentState state, bool parallel, CancellationToken cancellationToken)
    {
        state.Search.Load(codebook);
        int count = state.Assignment.Length;
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        if (parallel && chunks > 1)
        {
            var options = new ParallelOptions { CancellationToken = cancellationToken };
            Parallel.For(0, chunks, options, c => AssignChunk(samples, codebook, state, c));
        }
        else
        {
            for (int c = 0; c < chunks; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AssignChunk(samples, codebook, state, c);
            }
        }

        state.Initialized = true;
    }

    private static void AssignChunk(double[] samples, double[] codebook, AssignmentState state, int chunk)
    {
        int start = chunk * ChunkSize;
        int end = Math.Min(state.Assignment.Length, start + ChunkSize);
        Span<int> searched = stackalloc int[ChunkSize];
        int count = 0;
        if (state.Initialized)
        {
            count = KeepAssigned(samples, codebook, state, start, end, searched);
        }
        else
        {
            for (int i = start; i < end; i++) searched[count++] = i;
        }

        SearchGroups(samples, state, searched.Slice(0, count));
    }

    /// <summary>
    /// Hamerly's test for every sample of [<paramref name="start"/>, <paramref name="end"/>): every other codeword moved at
    /// most MaxDrift, so it is at least the old global bound minus that away; when the assigned codeword is closer by a
    /// margin far above rounding error, the exhaustive search would return it too. Writes each sample's error (its
    /// assigned codeword's squared distance) and lists the samples that fail the test in <paramref name="searched"/>.
    /// A separate tight loop: most samples end here, and the branch-light body keeps them cheap.
    /// </summary>
    [MethodImpl(JitHints.OptimizeNow)]
    private static int KeepAssigned(double[] samples, double[] codebook, AssignmentState state, int start, int end, Span<int> searched)
    {
        int k = state.BlockSize;
        int[] assignment = state.Assignment;
        double[] error = state.Error;
        double[] global = state.GlobalBound;
        double maxDrift = state.MaxDrift;
        int count = 0;
        for (int i = start; i < end; i++)
        {
            double ownDistance = Distance(samples, i * k, codebook, assignment[i] * k, k);
            error[i] = ownDistance;
            double bound = global[i] - maxDrift;
            global[i] = bound;
            // Squared, to spare a square root on the common path.
            double margin = bound - 1e-12;
            bool kept = margin > 0 && ownDistance * (1.0 + 4e-9) < margin * margin;
            searched[count] = i;
            count += kept ? 0 : 1;
        }

        return count;
    }

    /// <summary>
    /// The group searches of the samples listed in <paramref name="searched"/>: all groups on the first pass, afterwards
    /// each group whose bound, charged only its own codewords' drift since the sample's stamp, comes within reach of the
    /// assigned codeword. Element-wise bound arithmetic, so vector and scalar agree.
    /// </summary>
    [MethodImpl(JitHints.OptimizeNow)]
    private static void SearchGroups(double[] samples, AssignmentState state, ReadOnlySpan<int> searched)
    {
        int k = state.BlockSize;
        int groups = state.Groups;
        int groupSize = state.GroupSize;
        int[] assignment = state.Assignment;
        double[] error = state.Error;
        double[] global = state.GlobalBound;
        double[] lower = state.GroupBound;
        int[] stamps = state.Stamp;
        double[] cumulative = state.CumulativeDrift;
        int now = state.Updates;
        CodewordSearch search = state.Search;
        Vector<double>[] broadcast = state.NewBroadcast();
        Span<double> groupSecond = stackalloc double[groups];
        bool initialized = state.Initialized;
        bool vectorGroups = groups % Vector<double>.Count == 0;
        foreach (int i in searched)
        {
            int offset = i * k;
            int bounds = i * groups;
            int own = -1;
            double ownDistance = double.PositiveInfinity;
            // Every group is searched on the first pass: an infinite reach passes every bound test.
            double reach = double.PositiveInfinity;
            bool any = true;
            if (initialized)
            {
                own = assignment[i];
                ownDistance = error[i];
                reach = Math.Sqrt(ownDistance) * (1.0 + 1e-9) + 1e-12;
                any = vectorGroups
                    ? ChargeDriftVector(lower, bounds, cumulative, stamps[i] * groups, now * groups, groups, reach)
                    : ChargeDriftScalar(lower, bounds, cumulative, stamps[i] * groups, now * groups, groups, reach);
                stamps[i] = now;
            }

            int bestIndex = own;
            double best = ownDistance;
            if (any)
            {
                search.Broadcast(samples, offset, broadcast);
                int ownGroup = own / groupSize;
                bool ownSearched = own < 0 || lower[bounds + ownGroup] <= reach;
                int searchedGroups = 0;
                for (int g = 0; g < groups; g++)
                {
                    if (!(lower[bounds + g] <= reach)) continue;
                    searchedGroups |= 1 << g;
                    int index = search.Nearest(broadcast, g * groupSize, groupSize, out double groupBest, out groupSecond[g]);
                    // A searched group's new bound is its nearest codeword, unless that codeword wins (fixed below).
                    lower[bounds + g] = Math.Sqrt(groupBest);
                    if (groupBest < best || (groupBest == best && index < bestIndex))
                    {
                        best = groupBest;
                        bestIndex = index;
                    }
                }

                // The winner's group, when searched, is bounded by its runner-up instead.
                int bestGroup = bestIndex / groupSize;
                if ((searchedGroups & (1 << bestGroup)) != 0) lower[bounds + bestGroup] = Math.Sqrt(groupSecond[bestGroup]);

                // The old codeword joins its group's "others" when the sample leaves it.
                if (!ownSearched && own != bestIndex) lower[bounds + ownGroup] = Math.Min(lower[bounds + ownGroup], Math.Sqrt(ownDistance));
            }

            global[i] = vectorGroups ? TightestVector(lower, bounds, groups) : TightestScalar(lower, bounds, groups);
            assignment[i] = bestIndex;
            error[i] = best;
        }
    }

    /// <summary>
    /// Lowers sample bounds [<paramref name="bounds"/>, +groups) by each group's drift between the two cumulative rows;
    /// true when some group comes within <paramref name="reach"/>. Needs groups to be a multiple of the vector width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ChargeDriftVector(double[] lower, int bounds, double[] cumulative, int since, int until, int groups, double reach)
    {
        var within = new Vector<double>(reach);
        bool any = false;
        for (int g = 0; g < groups; g += Vector<double>.Count)
        {
            Vector<double> drift = new Vector<double>(cumulative, until + g) - new Vector<double>(cumulative, since + g);
            Vector<double> bound = new Vector<double>(lower, bounds + g) - drift;
            bound.CopyTo(lower, bounds + g);
            any |= Vector.LessThanOrEqualAny(bound, within);
        }

        return any;
    }

    /// <summary>
    /// Smallest of a sample's group bounds. Bounds are never NaN and never −0 (differences of non-negative values,
    /// square roots of distances), where the vector minimum and <see cref="Math.Min(double, double)"/> could differ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TightestVector(double[] lower, int bounds, int groups)
    {
        var min = new Vector<double>(lower, bounds);
        for (int g = Vector<double>.Count; g < groups; g += Vector<double>.Count) min = Vector.Min(min, new Vector<double>(lower, bounds + g));
        double tightest = min[0];
        for (int w = 1; w < Vector<double>.Count; w++) tightest = Math.Min(tightest, min[w]);
        return tightest;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TightestScalar(double[] lower, int bounds, int groups)
    {
        double tightest = lower[bounds];
        for (int g = 1; g < groups; g++) tightest = Math.Min(tightest, lower[bounds + g]);
        return tightest;
    }

    /// <summary>The same as <see cref="ChargeDriftVector"/> one group at a time, for group counts below the vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ChargeDriftScalar(double[] lower, int bounds, double[] cumulative, int since, int until, int groups, double reach)
    {
        bool any = false;
        for (int g = 0; g < groups; g++)
        {
            double bound = lower[bounds + g] - (cumulative[until + g] - cumulative[since + g]);
            lower[bounds + g] = bound;
            any |= bound <= reach;
        }

        return any;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Distance(double[] samples, int offset, double[] codebook, int c, int k)
    {
        double dist = 0;
        for (int j = 0; j < k; j++)
        {
            double diff = samples[offset + j] - codebook[c + j];
            dist += diff * diff;
        }

        return dist;
    }

    private static void RecordDrift(double[] before, double[] after, AssignmentState state)
    {
        int k = state.BlockSize;
        int groups = state.Groups;
        int groupSize = state.GroupSize;
        double[] cumulative = state.CumulativeDrift;
        int previous = state.Updates * groups;
        int current = previous + groups;
        double maxDrift = 0;
        for (int g = 0; g < groups; g++)
        {
            double max = 0;
            for (int n = g * groupSize, c = n * k; n < (g + 1) * groupSize; n++, c += k) max = Math.Max(max, Distance(before, c, after, c, k));

            // Round the bounds up a little so a skipped search is never one that rounding could have decided otherwise.
            double drift = Math.Sqrt(max) * (1.0 + 1e-9);
            cumulative[current + g] = cumulative[previous + g] + drift;
            maxDrift = Math.Max(maxDrift, drift);
        }

        state.MaxDrift = maxDrift;
        state.Updates++;
    }

    [MethodImpl(JitHints.OptimizeNow)]
    private static void UpdateCentroids(double[] samples, int k, double[] codebook, int[] assignment, double[] sums, long[] counts)
    {
        Array.Clear(sums, 0, sums.Length);
        Array.Clear(counts, 0, counts.Length);
        // The same additions in the same order for every k; the common block sizes get a body without the inner loop.
        switch (k)
        {
            case 1:
                for (int i = 0; i < assignment.Length; i++)
                {
                    int n = assignment[i];
                    counts[n]++;
                    sums[n] += samples[i];
                }

                break;
            case 2:
                for (int i = 0, offset = 0; i < assignment.Length; i++, offset += 2)
                {
                    int n = assignment[i];
                    counts[n]++;
                    int c = n * 2;
                    sums[c] += samples[offset];
                    sums[c + 1] += samples[offset + 1];
                }

                break;
            case 4:
                for (int i = 0, offset = 0; i < assignment.Length; i++, offset += 4)
                {
                    int n = assignment[i];
                    counts[n]++;
                    int c = n * 4;
                    sums[c] += samples[offset];
                    sums[c + 1] += samples[offset + 1];
                    sums[c + 2] += samples[offset + 2];
                    sums[c + 3] += samples[offset + 3];
                }

                break;
            default:
                for (int i = 0; i < assignment.Length; i++)
                {
                    int n = assignment[i];
                    counts[n]++;
                    int offset = i * k;
                    int c = n * k;
                    for (int j = 0; j < k; j++) sums[c + j] += samples[offset + j];
                }

                break;
        }

        for (int n = 0; n < counts.Length; n++)
        {
            if (counts[n] == 0) continue;
            double inv = 1.0 / counts[n];
            int c = n * k;
            for (int j = 0; j < k; j++) codebook[c + j] = sums[c + j] * inv;
        }
    }
}

/// <summary>Outcome of one Lloyd–Max run.</summary>
public readonly struct LloydResult
{
    /// <summary>Creates a result.</summary>
    public LloydResult(double distortion, int iterations)
    {
        Distortion = distortion;
        Iterations = iterations;
    }

    /// <summary>Mean squared error per k-block on the training sample.</summary>
    public double Distortion { get; }

    /// <summary>Assignment steps performed.</summary>
    public int Iterations { get; }
}
