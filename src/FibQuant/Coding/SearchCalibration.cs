using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// Picks the cheapest setting of an approximate block search whose distortion stays within a tolerance of the exact
/// search, measured on a fixed seeded spherical-Beta sample (so the choice is itself deterministic).
/// </summary>
public static class SearchCalibration
{
    /// <summary>Blocks in the calibration sample.</summary>
    public const int SampleBlocks = 8192;

    /// <summary>Default allowed distortion excess over the exact search (0.5 %).</summary>
    public const double DefaultTolerance = 0.005;

    /// <summary>The smallest probe count p in [1, <paramref name="maxProbes"/>] with distortion ≤ (1 + tolerance)·exact.</summary>
    public static int SmallestProbes(Codebook codebook, Func<int, IBlockSearch> create, int maxProbes, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProbes, 1);
        CodebookSpec spec = codebook.Spec;
        double[] sample = SphericalBetaSampler.Sample(spec.Dimension, spec.BlockSize, SampleBlocks, new DesignRandom(spec.Seed, DesignStream.Evaluation));
        var blocks = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++) blocks[i] = (float)sample[i];
        var indices = new ushort[SampleBlocks];
        new NearestCodeword(codebook).FindAll(blocks, indices);
        double exact = Distortion(codebook, blocks, indices);
        for (int probes = 1; probes < maxProbes; probes++)
        {
            create(probes).FindAll(blocks, indices);
            if (Distortion(codebook, blocks, indices) <= (1.0 + tolerance) * exact) return probes;
        }

        return maxProbes;
    }

    private static double Distortion(Codebook codebook, float[] blocks, ushort[] indices)
    {
        int k = codebook.Spec.BlockSize;
        double sum = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            ReadOnlySpan<float> c = codebook.Codeword(indices[i]);
            for (int j = 0; j < k; j++)
            {
                double diff = blocks[i * k + j] - c[j];
                sum += diff * diff;
            }
        }

        return sum / indices.Length;
    }
}
