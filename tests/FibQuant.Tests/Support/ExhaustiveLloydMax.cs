using System;

namespace FibQuant.Tests.Support;

/// <summary>
/// Textbook Lloyd–Max: every sample searches every codeword each iteration (scalar, lowest index wins ties), centroids
/// summed in sample order, the refiner's stopping rule. The refiner's tests pin it to this bit for bit, and the design
/// benchmark (which links this file) uses it as its baseline.
/// </summary>
internal static class ExhaustiveLloydMax
{
    /// <summary>Refines <paramref name="codebook"/> in place; returns the mean squared error per block and the iterations run.</summary>
    public static (double Distortion, int Iterations) Refine(double[] samples, int k, double[] codebook)
    {
        int count = samples.Length / k, codewords = codebook.Length / k;
        var assignment = new int[count];
        var sums = new double[codebook.Length];
        var counts = new long[codewords];
        double previous = double.PositiveInfinity;
        for (int iteration = 1; ; iteration++)
        {
            double distortion = 0;
            for (int i = 0; i < count; i++)
            {
                double best = double.PositiveInfinity;
                for (int n = 0; n < codewords; n++)
                {
                    double dist = 0;
                    for (int j = 0; j < k; j++)
                    {
                        double diff = samples[i * k + j] - codebook[n * k + j];
                        dist += diff * diff;
                    }

                    if (dist < best)
                    {
                        best = dist;
                        assignment[i] = n;
                    }
                }

                distortion += best;
            }

            distortion /= count;
            if (iteration >= FibQuant.Design.LloydMaxRefiner.MaxIterations
                || previous - distortion <= FibQuant.Design.LloydMaxRefiner.RelativeTolerance * distortion) return (distortion, iteration);
            previous = distortion;
            Array.Clear(sums);
            Array.Clear(counts);
            for (int i = 0; i < count; i++)
            {
                counts[assignment[i]]++;
                for (int j = 0; j < k; j++) sums[assignment[i] * k + j] += samples[i * k + j];
            }

            for (int n = 0; n < codewords; n++)
            {
                if (counts[n] == 0) continue;
                double inv = 1.0 / counts[n];
                for (int j = 0; j < k; j++) codebook[n * k + j] = sums[n * k + j] * inv;
            }
        }
    }
}
