using System;
using System.IO;
using FibQuant.Codebooks;
using FibQuant.Coding;
using FibQuant.Design;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>
/// Generated codecs of the committed large-N spec files encode with the search <see cref="EncoderKind.Auto"/> gives the
/// runtime <see cref="FibQuantizer"/> (the hierarchical one from <see cref="EncoderChoice.ApproximateFrom"/>): identical
/// codes, not the exact search's. <c>.ci/isa-paths.sh</c> reruns these on every instruction-set path (category Determinism).
/// </summary>
[Trait("Category", "Determinism")]
public sealed class LargeCodebookEquivalenceTests
{
    private const int Vectors = 2_000;

    [Fact]
    public void Kv128x8x1024_generated_codes_equal_the_runtime_hierarchical_codes() =>
        AssertSameCodes<Kv128x8x1024.Codec>(FromSpecFile("Kv128x8x1024.json"), seed: 21);

    [Fact]
    public void Kv128x8x2048_generated_codes_equal_the_runtime_hierarchical_codes() =>
        AssertSameCodes<Kv128x8x2048.Codec>(FromSpecFile("Kv128x8x2048.json"), seed: 22);

    private static void AssertSameCodes<T>(Codebook codebook, int seed) where T : struct, ICodebookShape, IVectorCodec
    {
        var runtime = new FibQuantizer(codebook);
        var exact = new FibQuantizer(codebook, encoder: EncoderKind.Exact);
        Assert.Equal(EncoderKind.Hierarchical, runtime.Encoder);
        Assert.Equal(runtime.Fingerprint, T.Fingerprint);

        int d = runtime.Dimension, size = runtime.EncodedSize;
        var random = new Random(seed);
        var vectors = new float[Vectors * d];
        for (int i = 0; i < vectors.Length; i++) vectors[i] = (float)(random.NextDouble() * 2 - 1);
        var expected = new byte[Vectors * size];
        var generated = new byte[expected.Length];
        var single = new byte[expected.Length];
        var reference = new byte[expected.Length];
        runtime.EncodeBatch(vectors, expected);
        ShapedCodec<T>.EncodeBatch(vectors, generated);
        var codec = new T();
        for (int v = 0; v < Vectors; v++) codec.Encode(vectors.AsSpan(v * d, d), single.AsSpan(v * size, size));
        exact.EncodeBatch(vectors, reference);

        Assert.True(expected.AsSpan().SequenceEqual(generated), $"batch codes differ first at byte {expected.AsSpan().CommonPrefixLength(generated)}");
        Assert.True(expected.AsSpan().SequenceEqual(single), $"codes differ first at byte {expected.AsSpan().CommonPrefixLength(single)}");
        // The generated codec runs the approximate search, not the exact one: some blocks must differ from exact codes.
        Assert.False(expected.AsSpan().SequenceEqual(reference), "generated codes equal the exact search's: the hierarchical search was not used");

        var decodedRuntime = new float[vectors.Length];
        var decodedGenerated = new float[vectors.Length];
        runtime.DecodeBatch(expected, decodedRuntime);
        ShapedCodec<T>.DecodeBatch(generated, decodedGenerated);
        Assert.True(decodedRuntime.AsSpan().SequenceEqual(decodedGenerated), "decoded vectors differ");
    }

    private static Codebook FromSpecFile(string name)
    {
        SpecFileParseResult parsed = CodebookSpecFile.Parse(File.ReadAllText(EquivalenceTests.CodebooksFolder(name)));
        Assert.True(parsed.Success, parsed.Error);
        Assert.False(parsed.File!.TryCreateSpec(out CodebookSpec? spec).IsError);
        return parsed.File.CreatePrecomputedCodebook(spec!);
    }
}
