using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace FibQuant.Tests.Properties;

/// <summary>A random small codec configuration and a seed for its input data (small specs so designs take milliseconds).</summary>
public sealed record CodecCase(int Dimension, int BlockSize, int Codewords, ulong Seed, RotationKind Rotation, NormFormat NormFormat,
    EncoderKind Encoder, int DataSeed, float Scale)
{
    public CodebookSpec Spec => new(Dimension, BlockSize, Codewords, Seed, Rotation, trainingSamples: 1024, restarts: 1);

    /// <summary>The codec, designed once per spec per test run.</summary>
    public FibQuantizer Quantizer => new(Designs.Get(Spec), NormFormat, Encoder);

    /// <summary>count Gaussian vectors with per-case scale.</summary>
    public float[] Vectors(int count) => TestVectors.Gaussian(Dimension, count, (ulong)DataSeed, Scale);
}

/// <summary>FsCheck generators of the property tests.</summary>
public static class CodecArbitraries
{
    private static readonly int[] Dimensions = { 4, 6, 8, 12, 16, 32 };

    public static Arbitrary<CodecCase> CodecCase()
    {
        Gen<CodecCase> gen =
            from d in Gen.Elements(Dimensions)
            from k in Gen.Elements(Enumerable.Range(1, Math.Min(4, d - 1)).Where(k => d % k == 0).ToArray())
            from bits in Gen.Choose(1, 5)
            from seed in Gen.Choose(1, 2)
            from hadamard in Gen.Elements(false, (d & (d - 1)) == 0)
            from single in Gen.Elements(false, true)
            from encoder in Gen.Elements(EncoderKind.Exact, EncoderKind.Exact, EncoderKind.TwoStage, EncoderKind.Hierarchical)
            from dataSeed in Gen.Choose(0, 1_000_000)
            from scale in Gen.Elements(1e-3f, 0.5f, 1f, 10f, 300f)
            select new CodecCase(d, k, 1 << bits, (ulong)seed, hadamard ? RotationKind.Hadamard : RotationKind.Haar,
                single ? NormFormat.Single : NormFormat.Half, encoder, dataSeed, scale);
        return gen.ToArbitrary();
    }
}
