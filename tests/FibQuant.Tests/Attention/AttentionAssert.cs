using System;
using System.Numerics.Tensors;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

/// <summary>Runs the reference path (decode everything, exact attention) and compares outputs.</summary>
internal static class AttentionAssert
{
    public static float[] Reference(CompressedKvCache<FibQuantizer> cache, ReadOnlySpan<float> query, float scale, int length)
    {
        int d = cache.HeadDimension;
        var keys = new float[length * d];
        var values = new float[length * d];
        ReferenceAttention.DecodeAll(cache, length, keys, values);
        var output = new float[d];
        ReferenceAttention.Attend(query, keys, values, scale, new float[length], output);
        return output;
    }

    /// <summary>Largest ‖v̂_t‖ over the first <paramref name="length"/> decoded values.</summary>
    public static float MaxValueNorm(CompressedKvCache<FibQuantizer> cache, int length)
    {
        var value = new float[cache.HeadDimension];
        float max = 0f;
        for (int t = 0; t < length; t++)
        {
            cache.DecodeValue(t, value);
            max = MathF.Max(max, TensorPrimitives.Norm(value));
        }

        return max;
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}] {actual[i]} vs {expected[i]} (tol {tolerance})");
    }
}
