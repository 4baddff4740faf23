using System;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Benchmarks;

/// <summary>Seeded Gaussian keys, values and queries, and the codebooks the benchmarks compare.</summary>
public static class BenchmarkData
{
    /// <summary>Head dimension of every benchmark.</summary>
    public const int Dimension = 128;

    /// <summary>
    /// The codec of rate <paramref name="bits"/> bits per coordinate at d = 128: b = 1 → k = 4, N = 16; b = 2 → k = 2,
    /// N = 16 (both 4-bit codes, fast scan); b = 3 → k = 2, N = 64 (byte codes, exact-table gather).
    /// </summary>
    public static FibQuantizer Codec(int bits) => bits switch
    {
        1 => Design(4, 16),
        2 => Design(2, 16),
        3 => Design(2, 64),
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be 1, 2 or 3."),
    };

    /// <summary>count × d standard Gaussian values.</summary>
    public static float[] Gaussian(int count, int seed) => Gaussian(count, Dimension, seed);

    /// <summary>count × <paramref name="dimension"/> standard Gaussian values.</summary>
    public static float[] Gaussian(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var data = new float[count * dimension];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            data[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return data;
    }

    /// <summary>Fills both caches with the same <paramref name="tokens"/> keys and values.</summary>
    public static void Fill(int tokens, Float16KeyValueCache fp16, CompressedKvCache<FibQuantizer> compressed)
    {
        float[] keys = Gaussian(tokens, 1), values = Gaussian(tokens, 2);
        for (int t = 0; t < tokens; t++)
        {
            ReadOnlySpan<float> key = keys.AsSpan(t * Dimension, Dimension), value = values.AsSpan(t * Dimension, Dimension);
            fp16.Append(key, value);
            compressed.Append(key, value);
        }
    }

    private static FibQuantizer Design(int k, int n) => new(CodebookDesigner.Design(new CodebookSpec(Dimension, k, n)));
}
