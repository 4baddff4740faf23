using System;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class CompressedAttentionTests
{
    private const int D = TestCodecs.Dimension;
    private static readonly float Scale = 1f / MathF.Sqrt(D);

    [Theory]
    [InlineData("nibbles", "nibbles", 700)]
    [InlineData("bytes", "bytes", 300)]
    [InlineData("wide", "scalar", 257)]
    [InlineData("scalar", "nibbles", 33)]
    [InlineData("nibbles", "bytes", 1)]
    public void ExactTableAttentionEqualsTheReferencePath(string keyCodec, string valueCodec, int tokens)
    {
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.ByName(keyCodec), TestCodecs.ByName(valueCodec), tokens, seed: 31);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        float[] query = TestCodecs.Gaussian(1, D, 32, sigma: 2f);
        foreach (int length in new[] { tokens, (tokens + 1) / 2 })
        {
            var output = new float[D];
            cache.Attend(query, Scale, length, output);
            // fp32 rounding only: 1e-4 of the largest value norm.
            AttentionAssert.Close(AttentionAssert.Reference(cache, query, Scale, length), output, 1e-4f * AttentionAssert.MaxValueNorm(cache, length));
        }
    }

    [Fact]
    public void FastScanAttentionIsWithinTheQuantisationBoundOfTheReferencePath()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(codec, codec, 600, seed: 41);
        float[] query = TestCodecs.Gaussian(1, D, 42);
        var output = new float[D];
        cache.Attend(query, Scale, cache.Count, output);

        // δ = the largest score change the 8-bit table causes (each is within ν_t·MaxAbsoluteError, see
        // CompressedScoreTests). Every softmax weight then moves by a factor within e^{±2δ}, so the output moves by at
        // most max‖v̂‖·(e^{2δ} − 1), plus fp32 rounding.
        var fast = new float[cache.Count];
        var exact = new float[cache.Count];
        cache.ComputeScores(query, Scale, cache.Count, fast);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        cache.ComputeScores(query, Scale, cache.Count, exact);
        float delta = 0f;
        for (int t = 0; t < fast.Length; t++) delta = MathF.Max(delta, MathF.Abs(fast[t] - exact[t]));
        float maxValue = AttentionAssert.MaxValueNorm(cache, cache.Count);
        float tolerance = maxValue * (MathF.Exp(2 * delta) - 1) + 1e-4f * maxValue;
        AttentionAssert.Close(AttentionAssert.Reference(cache, query, Scale, cache.Count), output, tolerance);

        // The stated looser tolerance of the fast-scan kernel at d = 64, k = 2, N = 16 with unit-variance data:
        // scores within 0.05 (in logit units, measured ≈ 0.025 over 600 tokens) and outputs within 11 % of the
        // largest value norm (the bound e^{2δ} − 1 above; the measured error is far smaller).
        Assert.True(delta < 0.05f, $"largest fast-scan score error {delta}");
        Assert.True(tolerance < 0.11f * maxValue, $"fast-scan output tolerance {tolerance} vs max value norm {maxValue}");
    }

    [Fact]
    public void GroupedQueryAttentionMatchesPerHeadAttentionAndTheReference()
    {
        const int heads = 4;
        FibQuantizer codec = TestCodecs.Nibbles;
        IKeyValueCache cache = TestCodecs.Filled(codec, TestCodecs.Bytes, 400, seed: 51);
        ((CompressedKvCache<FibQuantizer>)cache).KeyScoreKernel = ScoreKernel.ExactTable;
        float[] queries = TestCodecs.Gaussian(heads, D, 52);
        var grouped = new float[heads * D];
        cache.AttendGroup(queries, Scale, 350, grouped);
        for (int h = 0; h < heads; h++)
        {
            var single = new float[D];
            cache.Attend(queries.AsSpan(h * D, D), Scale, 350, single);
            Assert.Equal(single, grouped.AsSpan(h * D, D).ToArray());
            float[] expected = AttentionAssert.Reference((CompressedKvCache<FibQuantizer>)cache, queries.AsSpan(h * D, D), Scale, 350);
            AttentionAssert.Close(expected, single, 1e-4f * AttentionAssert.MaxValueNorm((CompressedKvCache<FibQuantizer>)cache, 350));
        }

        Assert.Throws<ArgumentException>(() => cache.AttendGroup(queries.AsSpan(0, D + 1), Scale, 10, new float[D + 1]));
    }

    [Fact]
    public void AttentionDoesNotAllocateOnceWarm()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        foreach (ScoreKernel kernel in new[] { ScoreKernel.FastScan, ScoreKernel.ExactTable })
        {
            CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(codec, codec, 1000, seed: 61, window: 8);
            cache.KeyScoreKernel = kernel;
            float[] query = TestCodecs.Gaussian(1, D, 62);
            var output = new float[D];
            cache.Attend(query, Scale, cache.Count, output);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) cache.Attend(query, Scale, cache.Count, output);
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void AttendRejectsBadArguments()
    {
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 5, seed: 71);
        var q = new float[D];
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Attend(q, 1f, 6, new float[D]));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Attend(q, 1f, 0, new float[D]));
        Assert.Throws<ArgumentException>(() => cache.Attend(new float[D - 1], 1f, 5, new float[D]));
    }
}
