using System;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

/// <summary>
/// Single-head and grouped (GQA) attention against decode-then-attend, for 4-bit and byte value codes, with and
/// without the fp32 window. The exact score table is used so the only differences are fp32 summation order.
/// </summary>
public sealed class GroupedAttentionTests
{
    private const int D = TestCodecs.Dimension;
    private static readonly float Scale = 1f / MathF.Sqrt(D);

    [Theory]
    [InlineData("nibbles", "nibbles", 700, 0, 1)]
    [InlineData("nibbles", "nibbles", 700, 24, 4)]
    [InlineData("nibbles", "bytes", 533, 0, 8)]
    [InlineData("bytes", "bytes", 300, 16, 3)]
    [InlineData("nibbles", "wide", 90, 0, 2)]
    [InlineData("scalar", "nibbles", 33, 5, 8)]
    [InlineData("nibbles", "scalar", 300, 0, 7)]
    [InlineData("bytes", "nibbles", 257, 3, 6)]
    [InlineData("nibbles-k4", "nibbles-k4", 600, 0, 5)]
    [InlineData("nibbles", "nibbles-k4", 300, 7, 1)]
    public void GroupedAndSingleHeadAttentionEqualDecodeThenAttend(string keyCodec, string valueCodec, int tokens, int window, int heads)
    {
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.ByName(keyCodec), TestCodecs.ByName(valueCodec), tokens, seed: 81, window);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        float[] queries = TestCodecs.Gaussian(heads, D, 82, sigma: 2f);
        foreach (int length in new[] { tokens, tokens - tokens / 3 })
        {
            var grouped = new float[heads * D];
            cache.AttendGroup(queries, Scale, length, grouped);
            for (int h = 0; h < heads; h++)
            {
                ReadOnlySpan<float> query = queries.AsSpan(h * D, D);
                var single = new float[D];
                cache.Attend(query, Scale, length, single);
                Assert.Equal(single, grouped.AsSpan(h * D, D).ToArray());
                AssertRelativelyClose(AttentionAssert.Reference(cache, query, Scale, length), single, 1e-5f);
            }
        }
    }

    // Keys that align more and more with the queries: every page, and the fp32 window, raises each head's running
    // maximum, so the online softmax rescales its sums at every step and must still match decode-then-attend.
    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    public void RisingScoresRescaleTheOnlineSoftmaxExactly(int window)
    {
        const int heads = 3, tokens = 1100;
        float[] queries = TestCodecs.Gaussian(heads, D, 71);
        float[] noise = TestCodecs.Gaussian(2 * tokens, D, 72);
        var cache = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles, window);
        var key = new float[D];
        for (int t = 0; t < tokens; t++)
        {
            for (int i = 0; i < D; i++) key[i] = 0.3f * noise[t * D + i] + 3f * t / tokens * (queries[i] + queries[D + i] + queries[2 * D + i]);
            cache.Append(key, noise.AsSpan((tokens + t) * D, D));
        }

        foreach (ScoreKernel kernel in new[] { ScoreKernel.ExactTable, ScoreKernel.FastScan })
        {
            cache.KeyScoreKernel = kernel;
            var grouped = new float[heads * D];
            cache.AttendGroup(queries, Scale, tokens, grouped);
            for (int h = 0; h < heads; h++)
            {
                var single = new float[D];
                cache.Attend(queries.AsSpan(h * D, D), Scale, tokens, single);
                Assert.Equal(single, grouped.AsSpan(h * D, D).ToArray());
                if (kernel == ScoreKernel.ExactTable)
                    AssertRelativelyClose(AttentionAssert.Reference(cache, queries.AsSpan(h * D, D), Scale, tokens), single, 1e-5f);
            }
        }
    }

    [Fact]
    public void FastScanGroupEqualsPerHeadFastScan()
    {
        const int heads = 8;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 777, seed: 91, window: 9);
        Assert.Equal(ScoreKernel.FastScan, cache.KeyScoreKernel);
        float[] queries = TestCodecs.Gaussian(heads, D, 92);
        var grouped = new float[heads * D];
        cache.AttendGroup(queries, Scale, cache.Count, grouped);
        for (int h = 0; h < heads; h++)
        {
            var single = new float[D];
            cache.Attend(queries.AsSpan(h * D, D), Scale, cache.Count, single);
            Assert.Equal(single, grouped.AsSpan(h * D, D).ToArray());
        }
    }

    [Theory]
    [InlineData("nibbles", 0)]
    [InlineData("bytes", 8)]
    [InlineData("wide", 0)]
    public void GroupedAttentionDoesNotAllocateOnceWarm(string valueCodec, int window)
    {
        const int heads = 8;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.ByName(valueCodec), 1000, seed: 93, window);
        float[] queries = TestCodecs.Gaussian(heads, D, 94);
        var outputs = new float[heads * D];
        // Warm both entry points: the first call of each may run one-time static initialisers on this thread.
        cache.AttendGroup(queries, Scale, cache.Count, outputs);
        cache.Attend(queries.AsSpan(0, D), Scale, cache.Count, outputs.AsSpan(0, D));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            cache.AttendGroup(queries, Scale, cache.Count, outputs);
            cache.Attend(queries.AsSpan(0, D), Scale, cache.Count, outputs.AsSpan(0, D));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AttendGroupRejectsBadArguments()
    {
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 5, seed: 95);
        var queries = new float[2 * D];
        Assert.Throws<ArgumentException>(() => cache.AttendGroup(queries.AsSpan(0, D + 1), Scale, 5, new float[D + 1]));
        Assert.Throws<ArgumentException>(() => cache.AttendGroup(ReadOnlySpan<float>.Empty, Scale, 5, Span<float>.Empty));
        Assert.Throws<ArgumentException>(() => cache.AttendGroup(queries, Scale, 5, new float[D]));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.AttendGroup(queries, Scale, 6, new float[2 * D]));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.AttendGroup(queries, Scale, 0, new float[2 * D]));
    }

    // |actual − expected| ≤ tolerance · ‖expected‖∞ per coordinate: relative to the output's scale, so a near-zero
    // coordinate is not held to a tighter absolute bound than fp32 summation of its terms can give.
    private static void AssertRelativelyClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        float scale = 0f;
        foreach (float e in expected) scale = MathF.Max(scale, MathF.Abs(e));
        AttentionAssert.Close(expected, actual, tolerance * scale);
    }
}
