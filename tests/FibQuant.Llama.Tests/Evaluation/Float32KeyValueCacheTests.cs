using System;
using FibQuant.Attention;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class Float32KeyValueCacheTests
{
    [Fact]
    public void AgreesWithTheFloat32CacheAndGrows()
    {
        var rng = new Random(11);
        var reference = new Float32KeyValueCache(8, initialCapacity: 2);
        var plain = new Float32KeyValueCache(8);
        float[] k = new float[8], v = new float[8], q = new float[8], a = new float[8], b = new float[8];
        for (int t = 0; t < 40; t++)
        {
            for (int i = 0; i < 8; i++) { k[i] = (float)(rng.NextDouble() - 0.5); v[i] = (float)(rng.NextDouble() - 0.5); q[i] = (float)(rng.NextDouble() - 0.5); }
            reference.Append(k, v);
            plain.Append(k, v);
            reference.Attend(q, 0.35f, t + 1, a);
            plain.Attend(q, 0.35f, t + 1, b);
            for (int i = 0; i < 8; i++) Assert.Equal(b[i], a[i], 5);
        }

        Assert.Equal(40, reference.Count);
        Assert.Equal(40L * 2 * 8 * 4, reference.BytesUsed);
        reference.Truncate(3);
        Assert.Equal(3, reference.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => reference.Attend(q, 1f, 4, a));
        reference.Clear();
        Assert.Equal(0, reference.Count);
    }

    [Fact]
    public void LargeScoresStayFinite()
    {
        var cache = new Float32KeyValueCache(2);
        cache.Append(new float[] { 100, 0 }, new float[] { 1, 2 });
        cache.Append(new float[] { 90, 0 }, new float[] { 3, 4 });
        float[] output = new float[2];
        cache.Attend(new float[] { 10, 0 }, 1f, 2, output);     // scores 1000 and 900
        Assert.Equal(1f, output[0], 6);
        Assert.Equal(2f, output[1], 6);
    }
}
