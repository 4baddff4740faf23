using System;
using System.IO;
using System.Runtime.CompilerServices;
using FibQuant.Codebooks;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Simd;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>
/// Generated codecs against the runtime <see cref="FibQuantizer"/> on 10 000 seeded vectors: identical tables,
/// fingerprints, codes and decoded vectors (bit for bit), rotations and score tables. <c>.ci/isa-paths.sh</c> reruns
/// these on the 512-, 256-, 128-bit and scalar paths (category Determinism).
/// </summary>
[Trait("Category", "Determinism")]
public sealed class EquivalenceTests
{
    private const int Vectors = 10_000;

    [Fact]
    public void Kv64x2x16_matches_the_runtime_design() =>
        AssertEquivalent<Kv64x2x16.Codec>(new FibQuantizer(CodebookDesigner.Design(new CodebookSpec(64, 2, 16, seed: 7))), seed: 1);

    [Fact]
    public void Tq64x1x4_hadamard_matches_the_runtime_design() => AssertEquivalent<Tq64x1x4.Codec>(
        new FibQuantizer(CodebookDesigner.Design(new CodebookSpec(64, 1, 4, seed: 7, rotation: RotationKind.Hadamard)), NormFormat.Single), seed: 2);

    [Fact]
    public void Kv128x4x256_from_its_spec_file_matches_the_runtime_codec() =>
        AssertEquivalent<Kv128x4x256.Codec>(new FibQuantizer(FromSpecFile("Kv128x4x256.json")), seed: 3);

    [Fact]
    public void Kv128x8x256_from_its_spec_file_matches_the_runtime_codec() =>
        AssertEquivalent<Kv128x8x256.Codec>(new FibQuantizer(FromSpecFile("Kv128x8x256.json")), seed: 4);

    [Fact]
    public void Runs_on_the_vector_path_the_isa_script_asked_for()
    {
        // .ci/isa-paths.sh sets FIBQUANT_EXPECT_ISA to the widest path it forced; an empty value means "whatever the CPU has".
        string? expected = Environment.GetEnvironmentVariable("FIBQUANT_EXPECT_ISA");
        if (!string.IsNullOrEmpty(expected)) Assert.Equal(expected, VectorPaths.Current.ToString());
        Assert.Equal(VectorPaths.Current == VectorPath.Scalar ? 1 : (int)VectorPaths.Current / 32, VectorPaths.FloatLanes);
    }

    [Fact]
    public void Generated_data_and_encode_do_not_allocate()
    {
        var vector = new float[Kv64x2x16.Dimension];
        vector[3] = 1.5f;
        var code = new byte[Kv64x2x16.EncodedSize];
        var back = new float[Kv64x2x16.Dimension];
        Kv64x2x16.Encode(vector, code);
        Kv64x2x16.Decode(code, back);
        float sum = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            sum += Kv64x2x16.CodewordTable[i % Kv64x2x16.CodewordTable.Length] + Kv64x2x16.RotationMatrix[i];
            Kv64x2x16.Encode(vector, code);
            Kv64x2x16.Decode(code, back);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(float.IsFinite(sum));
    }

    [Fact]
    public void Score_table_is_the_dot_product_of_query_blocks_and_codewords()
    {
        var random = new Random(5);
        var query = new float[128];
        for (int i = 0; i < query.Length; i++) query[i] = (float)(random.NextDouble() * 2 - 1);
        var table = new float[32 * 256];
        Kv128x4x256.BuildScoreTable(query, table);
        ReadOnlySpan<float> words = Kv128x4x256.CodewordTable;
        for (int b = 0; b < 32; b++)
        {
            for (int n = 0; n < 256; n++)
            {
                double expected = 0;
                for (int j = 0; j < 4; j++) expected += (double)query[b * 4 + j] * words[n * 4 + j];
                Assert.Equal(expected, table[b * 256 + n], 1e-5);
            }
        }
    }

    private static Codebook FromSpecFile(string name)
    {
        SpecFileParseResult parsed = CodebookSpecFile.Parse(File.ReadAllText(CodebooksFolder(name)));
        Assert.True(parsed.Success, parsed.Error);
        Assert.False(parsed.File!.TryCreateSpec(out CodebookSpec? spec).IsError);
        return parsed.File.CreatePrecomputedCodebook(spec!);
    }

    internal static string CodebooksFolder(string name, [CallerFilePath] string caller = "") =>
        Path.Combine(Path.GetDirectoryName(caller)!, "..", "..", "codebooks", name);

    private static void AssertEquivalent<T>(FibQuantizer runtime, int seed) where T : struct, ICodebookShape, IVectorCodec
    {
        var generated = new T();
        IVectorCodec contract = generated;
        Assert.Equal(runtime.Fingerprint, T.Fingerprint);
        Assert.Equal(runtime.Fingerprint, contract.Fingerprint);
        Assert.Equal(runtime.EncodedSize, T.EncodedSize);
        Assert.Equal(runtime.EncodedSize, contract.EncodedSize);
        Assert.Equal(runtime.NormFormat, contract.NormFormat);
        Assert.Equal((runtime.Dimension, runtime.BlockSize, runtime.Codewords), (contract.Dimension, contract.BlockSize, contract.Codewords));
        Assert.True(runtime.CodewordTable.SequenceEqual(T.CodewordTable), "codeword tables differ");
        Assert.True(runtime.CodewordTable.SequenceEqual(contract.CodewordTable), "codeword tables differ");

        int d = runtime.Dimension;
        var random = new Random(seed);
        var vectors = new float[Vectors * d];
        for (int v = 0; v < Vectors; v++)
        {
            double scale = v == 0 ? 0 : Math.Exp(random.NextDouble() * 6 - 3);
            for (int i = 0; i < d; i++)
            {
                double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                vectors[v * d + i] = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
        }

        var expectedCodes = new byte[Vectors * runtime.EncodedSize];
        var actualCodes = new byte[expectedCodes.Length];
        runtime.EncodeBatch(vectors, expectedCodes);
        for (int v = 0; v < Vectors; v++)
            generated.Encode(vectors.AsSpan(v * d, d), actualCodes.AsSpan(v * runtime.EncodedSize, runtime.EncodedSize));
        int firstDifference = expectedCodes.AsSpan().CommonPrefixLength(actualCodes);
        Assert.True(firstDifference == expectedCodes.Length, $"codes differ first at vector {firstDifference / Math.Max(1, runtime.EncodedSize)}");

        var expectedVectors = new float[vectors.Length];
        var actualVectors = new float[vectors.Length];
        runtime.DecodeBatch(expectedCodes, expectedVectors);
        for (int v = 0; v < Vectors; v++)
            generated.Decode(actualCodes.AsSpan(v * runtime.EncodedSize, runtime.EncodedSize), actualVectors.AsSpan(v * d, d));
        for (int i = 0; i < vectors.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expectedVectors[i]) != BitConverter.SingleToInt32Bits(actualVectors[i]))
                Assert.Fail($"decoded value {i} differs: runtime {expectedVectors[i]:R}, generated {actualVectors[i]:R}");
        }

        var rotatedRuntime = new float[d];
        var rotatedGenerated = new float[d];
        runtime.Rotate(vectors.AsSpan(d, d), rotatedRuntime);
        generated.Rotate(vectors.AsSpan(d, d), rotatedGenerated);
        Assert.Equal(rotatedRuntime, rotatedGenerated);
        runtime.InverseRotate(vectors.AsSpan(d, d), rotatedRuntime);
        generated.InverseRotate(vectors.AsSpan(d, d), rotatedGenerated);
        Assert.Equal(rotatedRuntime, rotatedGenerated);

        var tableRuntime = new float[runtime.Dimension / runtime.BlockSize * runtime.Codewords];
        var tableGenerated = new float[tableRuntime.Length];
        runtime.BuildScoreTable(vectors.AsSpan(d, d), tableRuntime);
        generated.BuildScoreTable(vectors.AsSpan(d, d), tableGenerated);
        Assert.Equal(tableRuntime, tableGenerated);

        var batchCodes = new byte[expectedCodes.Length];
        ShapedCodec<T>.EncodeBatch(vectors, batchCodes);
        Assert.True(expectedCodes.AsSpan().SequenceEqual(batchCodes), "EncodeBatch differs from the runtime codes");
        var batchVectors = new float[vectors.Length];
        ShapedCodec<T>.DecodeBatch(expectedCodes, batchVectors);
        Assert.True(MemoryExtensions.SequenceEqual<float>(expectedVectors, batchVectors), "DecodeBatch differs from the runtime decode");
    }
}

/// <summary>The batch entry points of a generated class agree with one-by-one calls.</summary>
public sealed class BatchTests
{
    [Fact]
    public void EncodeBatch_and_DecodeBatch_equal_single_calls()
    {
        var random = new Random(8);
        const int count = 37;
        var vectors = new float[count * Kv64x2x16.Dimension];
        for (int i = 0; i < vectors.Length; i++) vectors[i] = (float)(random.NextDouble() * 4 - 2);
        var batch = new byte[count * Kv64x2x16.EncodedSize];
        Kv64x2x16.EncodeBatch(vectors, batch);
        var single = new byte[Kv64x2x16.EncodedSize];
        var decoded = new float[vectors.Length];
        Kv64x2x16.DecodeBatch(batch, decoded);
        var one = new float[Kv64x2x16.Dimension];
        for (int v = 0; v < count; v++)
        {
            Kv64x2x16.Encode(vectors.AsSpan(v * Kv64x2x16.Dimension, Kv64x2x16.Dimension), single);
            Assert.Equal(single, batch.AsSpan(v * Kv64x2x16.EncodedSize, Kv64x2x16.EncodedSize).ToArray());
            Kv64x2x16.Decode(single, one);
            Assert.Equal(one, decoded.AsSpan(v * Kv64x2x16.Dimension, Kv64x2x16.Dimension).ToArray());
        }

        Assert.Throws<ArgumentException>(() => Kv64x2x16.EncodeBatch(new float[Kv64x2x16.Dimension + 1], new byte[Kv64x2x16.EncodedSize]));
    }

    [Fact]
    public void Rotation_round_trips_within_float_precision()
    {
        var random = new Random(9);
        var x = new float[Kv64x2x16.Dimension];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        var rotated = new float[x.Length];
        var back = new float[x.Length];
        Kv64x2x16.Rotate(x, rotated);
        Kv64x2x16.InverseRotate(rotated, back);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], back[i], 1e-5);
        Assert.Throws<ArgumentException>(() => Kv64x2x16.Rotate(x, x));
    }
}

/// <summary>The committed precomputed table is what the runtime designer produces today (a full design: the Slow set).</summary>
public sealed class PrecomputedSpecFileTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Redesigning_Kv128x4x256_at_run_time_reproduces_the_committed_fingerprint()
    {
        SpecFileParseResult parsed = CodebookSpecFile.Parse(File.ReadAllText(EquivalenceTests.CodebooksFolder("Kv128x4x256.json")));
        Assert.True(parsed.Success, parsed.Error);
        Assert.False(parsed.File!.TryCreateSpec(out CodebookSpec? spec).IsError);
        Codebook designed = CodebookDesigner.Design(spec!, parallel: true);
        Assert.Equal(parsed.File.Fingerprint, designed.Fingerprint);
        Assert.Equal(Kv128x4x256.Fingerprint, designed.Fingerprint);
    }
}
