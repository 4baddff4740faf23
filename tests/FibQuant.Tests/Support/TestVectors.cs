using FibQuant.Design;

namespace FibQuant.Tests.Support;

internal static class TestVectors
{
    /// <summary>count seeded vectors uniform on the unit sphere of R^d, row-major.</summary>
    public static float[] UnitSphere(int dimension, int count, ulong seed)
    {
        var random = new DesignRandom(seed, DesignStream.Evaluation);
        var values = new float[dimension * count];
        var direction = new double[dimension];
        for (int i = 0; i < count; i++)
        {
            SphericalBetaSampler.UniformDirection(random, direction);
            for (int j = 0; j < dimension; j++) values[i * dimension + j] = (float)direction[j];
        }

        return values;
    }

    /// <summary>Gaussian vectors with per-vector random scale, row-major.</summary>
    public static float[] Gaussian(int dimension, int count, ulong seed, double scale = 1.0)
    {
        var random = new DesignRandom(seed, DesignStream.Evaluation);
        var values = new float[dimension * count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(scale * random.NextGaussian());
        return values;
    }
}
