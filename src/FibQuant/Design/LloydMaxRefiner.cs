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
        var assignment = new int[count];
        var error = new double[count];
        var sums = new double[codebook.Length];
        var counts = new long[codewords];
        double previous = double.PositiveInfinity;
        double distortion = double.PositiveInfinity;
        int iteration = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Assign(samples, blockSize, codebook, assignment, error, parallel, cancellationToken);
            distortion = 0;
            for (int i = 0; i < count; i++) distortion += error[i];
            distortion /= count;
            iteration++;
            if (iteration >= MaxIterations || previous - distortion <= RelativeTolerance * distortion) break;
            previous = distortion;
            UpdateCentroids(samples, blockSize, codebook, assignment, sums, counts);
        }

        return new LloydResult(distortion, iteration);
    }

    /// <summary>Mean squared error per block of <paramref name="codebook"/> on <paramref name="samples"/> (nearest codeword).</summary>
    public static double Evaluate(double[] samples, int blockSize, double[] codebook, bool parallel, CancellationToken cancellationToken)
    {
        int count = samples.Length / blockSize;
        var assignment = new int[count];
        var error = new double[count];
        Assign(samples, blockSize, codebook, assignment, error, parallel, cancellationToken);
        double sum = 0;
        for (int i = 0; i < count; i++) sum += error[i];
        return sum / count;
    }

    private static void Assign(double[] samples, int k, double[] codebook, int[] assignment, double[] error, bool parallel, CancellationToken cancellationToken)
    {
        int count = assignment.Length;
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        if (parallel && chunks > 1)
        {
            var options = new ParallelOptions { CancellationToken = cancellationToken };
            Parallel.For(0, chunks, options, c => AssignChunk(samples, k, codebook, assignment, error, c));
        }
        else
        {
            for (int c = 0; c < chunks; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AssignChunk(samples, k, codebook, assignment, error, c);
            }
        }
    }

    private static void AssignChunk(double[] samples, int k, double[] codebook, int[] assignment, double[] error, int chunk)
    {
        int start = chunk * ChunkSize;
        int end = Math.Min(assignment.Length, start + ChunkSize);
        int codewords = codebook.Length / k;
        for (int i = start; i < end; i++)
        {
            int offset = i * k;
            double best = double.PositiveInfinity;
            int bestIndex = 0;
            for (int n = 0, c = 0; n < codewords; n++, c += k)
            {
                // Partial-distance elimination: IEEE addition of non-negative terms never decreases the sum, so
                // abandoning at >= best cannot change the strict-less argmin.
                double dist = 0;
                for (int j = 0; j < k; j++)
                {
                    double diff = samples[offset + j] - codebook[c + j];
                    dist += diff * diff;
                    if (dist >= best) break;
                }

                if (dist < best)
                {
                    best = dist;
                    bestIndex = n;
                }
            }

            assignment[i] = bestIndex;
            error[i] = best;
        }
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
