using FibQuant.Design;

namespace FibQuant.Tests.Support;

internal static class TestVectors
{
    public static float[] UnitSphere(int dimension, int count, ulong seed) => FibQuant.Evaluation.RateDistortion.UniformUnitVectors(dimension, count, seed);

    /// <summary>Gaussian vectors with per-vector random scale, row-major.</summary>
    public static float[] Gaussian(int dimension, int count, ulong seed, double scale = 1.0)
    {
        var random = new DesignRandom(seed, DesignStream.Evaluation);
        var values = new float[dimension * count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(scale * random.NextGaussian());
        return values;
    }
}
