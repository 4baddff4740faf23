using System;
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
    public static LloydResult Refine(double[] samples, int blockSize, double[] codebook, bool parallel, CancellationToken cancellationToken)
    {
        if (samples is null) throw new ArgumentNullException(nameof(samples));
        if (codebook is null) throw new ArgumentNullException(nameof(codebook));
        if (blockSize < 1 || samples.Length % blockSize != 0 || codebook.Length % blockSize != 0)
            throw new ArgumentException("Sample and codebook lengths must be multiples of the block size.", nameof(blockSize));

        int count = samples.Length / blockSize;
        int codewords = codebook.Length / blockSize;
        var state = new AssignmentState(count);
        var sums = new double[codebook.Length];
        var counts = new long[codewords];
        var before = new double[codebook.Length];
        double previous = double.PositiveInfinity;
        double distortion = double.PositiveInfinity;
        int iteration = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Assign(samples, blockSize, codebook, state, parallel, cancellationToken);
            distortion = 0;
            for (int i = 0; i < count; i++) distortion += state.Error[i];
            distortion /= count;
            iteration++;
            if (iteration >= MaxIterations || previous - distortion <= RelativeTolerance * distortion) break;
            previous = distortion;
            Array.Copy(codebook, before, codebook.Length);
            UpdateCentroids(samples, blockSize, codebook, state.Assignment, sums, counts);
            state.MaxDrift = MaxDrift(before, codebook, blockSize);
        }

        return new LloydResult(distortion, iteration);
    }

    /// <summary>Mean squared error per block of <paramref name="codebook"/> on <paramref name="samples"/> (nearest codeword).</summary>
    public static double Evaluate(double[] samples, int blockSize, double[] codebook, bool parallel, CancellationToken cancellationToken)
    {
        int count = samples.Length / blockSize;
        var state = new AssignmentState(count);
        Assign(samples, blockSize, codebook, state, parallel, cancellationToken);
        double sum = 0;
        for (int i = 0; i < count; i++) sum += state.Error[i];
        return sum / count;
    }

    private static void Assign(double[] samples, int k, double[] codebook, AssignmentState state, bool parallel, CancellationToken cancellationToken)
    {
        int count = state.Assignment.Length;
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        if (parallel && chunks > 1)
        {
            var options = new ParallelOptions { CancellationToken = cancellationToken };
            Parallel.For(0, chunks, options, c => AssignChunk(samples, k, codebook, state, c));
        }
        else
        {
            for (int c = 0; c < chunks; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AssignChunk(samples, k, codebook, state, c);
            }
        }

        state.Initialized = true;
        state.MaxDrift = 0;
    }

    private static void AssignChunk(double[] samples, int k, double[] codebook, AssignmentState state, int chunk)
    {
        int start = chunk * ChunkSize;
        int end = Math.Min(state.Assignment.Length, start + ChunkSize);
        int codewords = codebook.Length / k;
        int[] assignment = state.Assignment;
        double[] error = state.Error;
        double[] lower = state.LowerBound;
        for (int i = start; i < end; i++)
        {
            int offset = i * k;
            if (state.Initialized)
            {
                // Hamerly's bound: the nearest other codeword is at least lower[i] − drift away. When the assigned
                // codeword is closer by a margin far above rounding error, the full search would return it too.
                lower[i] -= state.MaxDrift;
                double own = Distance(samples, offset, codebook, assignment[i] * k, k);
                if (Math.Sqrt(own) * (1.0 + 1e-9) + 1e-12 < lower[i])
                {
                    error[i] = own;
                    continue;
                }
            }

            double best = double.PositiveInfinity;
            double second = double.PositiveInfinity;
            int bestIndex = 0;
            for (int n = 0, c = 0; n < codewords; n++, c += k)
            {
                // Partial-distance elimination: IEEE addition of non-negative terms never decreases the sum, so
                // abandoning at >= second cannot change the strict-less argmin nor the runner-up distance.
                double dist = 0;
                for (int j = 0; j < k; j++)
                {
                    double diff = samples[offset + j] - codebook[c + j];
                    dist += diff * diff;
                    if (dist >= second) break;
                }

                if (dist < best)
                {
                    second = best;
                    best = dist;
                    bestIndex = n;
                }
                else if (dist < second)
                {
                    second = dist;
                }
            }

            assignment[i] = bestIndex;
            error[i] = best;
            lower[i] = Math.Sqrt(second);
        }
    }

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

    private static double MaxDrift(double[] before, double[] after, int k)
    {
        double max = 0;
        for (int c = 0; c < before.Length; c += k)
        {
            double drift = Distance(before, c, after, c, k);
            if (drift > max) max = drift;
        }

        // Round the bound up a little so a skipped search is never one that rounding could have decided otherwise.
        return Math.Sqrt(max) * (1.0 + 1e-9);
    }

    private static void UpdateCentroids(double[] samples, int k, double[] codebook, int[] assignment, double[] sums, long[] counts)
    {
        Array.Clear(sums, 0, sums.Length);
        Array.Clear(counts, 0, counts.Length);
        for (int i = 0; i < assignment.Length; i++)
        {
            int n = assignment[i];
            counts[n]++;
            int offset = i * k;
            int c = n * k;
            for (int j = 0; j < k; j++) sums[c + j] += samples[offset + j];
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

/// <summary>Per-sample assignment, squared error and Hamerly lower bound, kept across iterations.</summary>
internal sealed class AssignmentState
{
    public AssignmentState(int count)
    {
        Assignment = new int[count];
        Error = new double[count];
        LowerBound = new double[count];
    }

    public int[] Assignment { get; }

    public double[] Error { get; }

    public double[] LowerBound { get; }

    public bool Initialized { get; set; }

    public double MaxDrift { get; set; }
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
