using System;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Tests.Attention;

/// <summary>Codecs designed once per test run (small training sets keep the designs quick) and seeded test data.</summary>
internal static class TestCodecs
{
    public const int Dimension = 64;

    private static readonly Lazy<FibQuantizer> s_nibbles = new(() => Create(Dimension, 2, 16, 1));
    private static readonly Lazy<FibQuantizer> s_bytes = new(() => Create(Dimension, 2, 64, 2));
    private static readonly Lazy<FibQuantizer> s_wide = new(() => Create(Dimension, 4, 512, 3));
    private static readonly Lazy<FibQuantizer> s_scalar = new(() => Create(Dimension, 1, 4, 4));
    private static readonly Lazy<FibQuantizer> s_nibblesK4 = new(() => Create(Dimension, 4, 16, 5));
    private static readonly Lazy<FibQuantizer> s_nibblesOtherSeed = new(() => Create(Dimension, 2, 16, 99));

    /// <summary>k = 2, N = 16: 4-bit codes, fast-scan layout.</summary>
    public static FibQuantizer Nibbles => s_nibbles.Value;

    /// <summary>k = 2, N = 64: byte layout.</summary>
    public static FibQuantizer Bytes => s_bytes.Value;

    /// <summary>k = 4, N = 512: 16-bit layout.</summary>
    public static FibQuantizer Wide => s_wide.Value;

    /// <summary>k = 1, N = 4: scalar (TurboQuant-style) codebook, byte layout.</summary>
    public static FibQuantizer Scalar => s_scalar.Value;

    /// <summary>k = 4, N = 16: 4-bit codes at b = 1.</summary>
    public static FibQuantizer NibblesK4 => s_nibblesK4.Value;

    /// <summary>Same shape as <see cref="Nibbles"/>, another seed, so another fingerprint.</summary>
    public static FibQuantizer NibblesOtherSeed => s_nibblesOtherSeed.Value;

    public static FibQuantizer ByName(string name) => name switch
    {
        "nibbles" => Nibbles,
        "nibbles-k4" => NibblesK4,
        "bytes" => Bytes,
        "wide" => Wide,
        "scalar" => Scalar,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown codec"),
    };

    /// <summary>Gaussian vectors, count × d, seeded.</summary>
    public static float[] Gaussian(int count, int dimension, int seed, float sigma = 1f)
    {
        var random = new Random(seed);
        var data = new float[count * dimension];
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            data[i] = sigma * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return data;
    }

    /// <summary>A cache filled with <paramref name="tokens"/> Gaussian keys and values.</summary>
    public static CompressedKvCache<FibQuantizer> Filled(FibQuantizer keys, FibQuantizer values, int tokens, int seed, int window = 0)
    {
        var cache = new CompressedKvCache<FibQuantizer>(keys, values, window);
        float[] k = Gaussian(tokens, Dimension, seed), v = Gaussian(tokens, Dimension, seed + 1);
        for (int t = 0; t < tokens; t++) cache.Append(k.AsSpan(t * Dimension, Dimension), v.AsSpan(t * Dimension, Dimension));
        return cache;
    }

    private static FibQuantizer Create(int d, int k, int n, ulong seed) =>
        new(CodebookDesigner.Design(new CodebookSpec(d, k, n, seed, RotationKind.Haar, trainingSamples: 16384, restarts: 2)));
}
