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
        float[] blocks = Sample(spec.Dimension, spec.BlockSize, SampleBlocks, spec.Seed);
        int first = FirstWithin(codebook.Table, spec.BlockSize, blocks, maxProbes - 1, p => create(p + 1), tolerance);
        return first < 0 ? maxProbes : first + 1;
    }

    /// <summary>
    /// The first of <paramref name="settings"/> settings (ordered cheapest first; setting i built by
    /// <paramref name="create"/>(i)) whose distortion on <paramref name="blocks"/> is ≤ (1 + tolerance)·exact;
    /// −1 when none is.
    /// </summary>
    internal static int FirstWithin(ReadOnlySpan<float> table, int blockSize, float[] blocks, int settings, Func<int, IBlockSearch> create, double tolerance)
    {
        int n = table.Length / blockSize;
        var indices = new ushort[blocks.Length / blockSize];
        NearestCodeword.FindAll(new RuntimeDimensions(blocks.Length, blockSize, n), blocks, NearestCodeword.Transpose(table, blockSize, n), indices);
        double exact = Distortion(table, blockSize, blocks, indices);
        for (int setting = 0; setting < settings; setting++)
        {
            create(setting).FindAll(blocks, indices);
            if (Distortion(table, blockSize, blocks, indices) <= (1.0 + tolerance) * exact) return setting;
        }

        return -1;
    }

    /// <summary><paramref name="count"/> spherical-Beta k-blocks of a unit vector in R^d from <paramref name="seed"/>'s evaluation stream.</summary>
    internal static float[] Sample(int dimension, int blockSize, int count, ulong seed)
    {
        double[] sample = SphericalBetaSampler.Sample(dimension, blockSize, count, new DesignRandom(seed, DesignStream.Evaluation));
        var blocks = new float[sample.Length];
        for (int i = 0; i < sample.Length; i++) blocks[i] = (float)sample[i];
        return blocks;
    }

    private static double Distortion(ReadOnlySpan<float> table, int k, float[] blocks, ushort[] indices)
    {
        double sum = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double diff = blocks[i * k + j] - table[indices[i] * k + j];
                sum += diff * diff;
            }
        }

        return sum / indices.Length;
    }
}
