using System;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Evaluation;

/// <summary>Distortion measurements of a codec against the Shannon bound.</summary>
public static class RateDistortion
{
    /// <summary>Shannon's distortion–rate bound for unit vectors at b bits per coordinate: 4^(−b).</summary>
    public static double ShannonBound(double bitsPerCoordinate) => Math.Pow(4.0, -bitsPerCoordinate);

    /// <summary>Mean over vectors of ‖x − decode(encode(x))‖² (row-major <paramref name="vectors"/>, count·d values).</summary>
    public static double MeanSquaredError(FibQuantizer quantizer, ReadOnlySpan<float> vectors)
    {
        ArgumentNullException.ThrowIfNull(quantizer);
        int d = quantizer.Dimension;
        if (vectors.Length == 0 || vectors.Length % d != 0)
            throw new ArgumentException($"vectors length must be a positive multiple of d = {d}, got {vectors.Length}.", nameof(vectors));
        int count = vectors.Length / d;
        var code = new byte[quantizer.EncodedSize];
        var decoded = new float[d];
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> x = vectors.Slice(i * d, d);
            quantizer.Encode(x, code);
            quantizer.Decode(code, decoded);
            for (int j = 0; j < d; j++)
            {
                double diff = x[j] - decoded[j];
                sum += diff * diff;
            }
        }

        return sum / count;
    }

    /// <summary><paramref name="count"/> seeded vectors uniform on the unit sphere of R^d, row-major.</summary>
    public static float[] UniformUnitVectors(int dimension, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var random = new DesignRandom(seed, DesignStream.Evaluation);
        var values = new float[checked(dimension * count)];
        var direction = new double[dimension];
        for (int i = 0; i < count; i++)
        {
            SphericalBetaSampler.UniformDirection(random, direction);
            for (int j = 0; j < dimension; j++) values[i * dimension + j] = (float)direction[j];
        }

        return values;
    }
}
