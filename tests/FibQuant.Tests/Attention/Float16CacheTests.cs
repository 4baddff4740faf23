using System;
using FibQuant.Attention;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class Float16CacheTests
{
    private const int D = TestCodecs.Dimension;

    [Fact]
    public void Fp16AttentionMatchesTheFp32ReferenceWithinHalfPrecision()
    {
        const int tokens = 150;
        float[] keys = TestCodecs.Gaussian(tokens, D, 201), values = TestCodecs.Gaussian(tokens, D, 202);
        var fp16 = new Float16KeyValueCache(D);
        var fp32 = new Float32KeyValueCache(D);
        for (int t = 0; t < tokens; t++)
        {
            fp16.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));
            fp32.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));
        }

        float[] query = TestCodecs.Gaussian(1, D, 203);
        var a = new float[D];
        var b = new float[D];
        fp16.Attend(query, 0.125f, 120, a);
        fp32.Attend(query, 0.125f, 120, b);
        AttentionAssert.Close(b, a, 5e-3f);

        var key = new float[D];
        fp16.ReadKey(77, key);
        for (int i = 0; i < D; i++) Assert.Equal((float)(Half)keys[77 * D + i], key[i]);

        fp16.Truncate(10);
        Assert.Equal(10, fp16.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => fp16.Attend(query, 1f, 11, a));
        Assert.Throws<ArgumentOutOfRangeException>(() => fp16.ReadValue(10, key));
    }
}
