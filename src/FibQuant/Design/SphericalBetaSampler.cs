using System;
using System.Threading;

namespace FibQuant.Design;

/// <summary>
/// Exact sampler of the spherical-Beta source: a k-block of a uniform unit vector in R^d has a direction uniform on
/// S^(k−1) and a squared radius distributed Beta(k/2, (d−k)/2). Sampled that way, never from block-normalised Gaussians.
/// </summary>
public static class SphericalBetaSampler
{
    /// <summary>Draws <paramref name="count"/> blocks of length <paramref name="blockSize"/>, row-major.</summary>
    public static double[] Sample(int dimension, int blockSize, int count, DesignRandom random, CancellationToken cancellationToken = default)
    {
        if (blockSize < 1 || blockSize >= dimension)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"The spherical-Beta source needs 1 <= k < d (d = {dimension}).");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Sample count must be positive.");
        if (random is null) throw new ArgumentNullException(nameof(random));

        double a = blockSize / 2.0;
        double b = (dimension - blockSize) / 2.0;
        var samples = new double[checked(count * blockSize)];
        var direction = new double[blockSize];
        for (int i = 0; i < count; i++)
        {
            if ((i & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            UniformDirection(random, direction);
            double radius = Math.Sqrt(random.NextBeta(a, b));
            int offset = i * blockSize;
            for (int j = 0; j < blockSize; j++) samples[offset + j] = radius * direction[j];
        }

        return samples;
    }

    /// <summary>Fills <paramref name="direction"/> with a point uniform on the unit sphere (for k = 1: a random sign).</summary>
    public static void UniformDirection(DesignRandom random, double[] direction)
    {
        if (direction.Length == 1)
        {
            direction[0] = (random.NextUInt64() >> 63) == 0 ? 1.0 : -1.0;
            return;
        }

        double norm2;
        do
        {
            norm2 = 0;
            for (int j = 0; j < direction.Length; j++)
            {
                double g = random.NextGaussian();
                direction[j] = g;
                norm2 += g * g;
            }
        }
        while (norm2 == 0);

        double inv = 1.0 / Math.Sqrt(norm2);
        for (int j = 0; j < direction.Length; j++) direction[j] *= inv;
    }
}
