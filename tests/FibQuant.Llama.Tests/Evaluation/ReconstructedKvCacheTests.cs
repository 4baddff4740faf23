using System;
using FibQuant.Attention;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class ReconstructedKvCacheTests
{
    private const int D = 8, T = 40;

    private static float[] Random(int n, int seed)
    {
        var r = new System.Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(r.NextDouble() * 2 - 1);
        return v;
    }

    [Fact]
    public void ExactStorageEqualsTheFloat32CacheBitForBit()
    {
        float[] keys = Random(T * D, 1), values = Random(T * D, 2), query = Random(D, 3);
        var reference = new Float32KeyValueCache(D);
        var cache = new ReconstructedKvCache(D, null, null, 32 * D, 32 * D);
        for (int t = 0; t < T; t++)
        {
            reference.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));
            cache.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));
        }

        var expected = new float[D];
        var actual = new float[D];
        reference.Attend(query, 0.5f, T, expected);
        cache.Attend(query, 0.5f, T, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(T, cache.LastWeights.Length);
        float sum = 0;
        foreach (float w in cache.LastWeights) sum += w;
        Assert.Equal(1f, sum, 1e-5f);
        Assert.Equal(reference.BytesUsed, cache.BytesUsed);
    }

    [Fact]
    public void SinksAndTheRecentWindowAreAttendedExactly()
    {
        float[] keys = Random(T * D, 4), values = Random(T * D, 5), query = Random(D, 6);
        var fp16 = new Float16RoundTrip(D);
        var exact = new ReconstructedKvCache(D, null, null, 32 * D, 32 * D);
        var covered = new ReconstructedKvCache(D, fp16, fp16, 16 * D, 16 * D, sinkTokens: 10, recentWindow: 30);   // 10 + 30 = T
        var sinksOnly = new ReconstructedKvCache(D, fp16, fp16, 16 * D, 16 * D, sinkTokens: 10);
        foreach (ReconstructedKvCache c in new[] { exact, covered, sinksOnly })
        {
            for (int t = 0; t < T; t++) c.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));
        }

        float[] a = new float[D], b = new float[D], c2 = new float[D];
        exact.Attend(query, 1f, T, a);
        covered.Attend(query, 1f, T, b);
        sinksOnly.Attend(query, 1f, T, c2);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c2);
        Assert.Equal(T * 2L * 2 * D, covered.BytesUsed);                                   // every token kept in full precision counts as fp16
        Assert.Equal(T * 2L * 2 * D, sinksOnly.BytesUsed);
    }

    [Fact]
    public void TopWeightsSelectsTheLargestAndRecallCountsOverlap()
    {
        float[] w = { 0.1f, 0.5f, 0.05f, 0.2f, 0.15f };
        var top = new int[3];
        TopWeights.Select(w, top);
        Assert.Equal(new[] { 1, 3, 4 }, top);
        var scratch = new int[3];
        Assert.Equal(3, TopWeights.Recall(top, w, scratch));
        float[] other = { 0.5f, 0.1f, 0.05f, 0.2f, 0.15f };                                // key 1 drops out, key 0 enters
        Assert.Equal(2, TopWeights.Recall(top, other, scratch));
        Assert.Throws<ArgumentException>(() => TopWeights.Select(w, new int[6]));
    }
}
