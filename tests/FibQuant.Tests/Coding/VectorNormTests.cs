using System;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Coding;

/// <summary>
/// The header norm is the documented fixed-order sum (16 strided float sums, a pairwise tree, the tail, a square root),
/// recomputed here one float at a time; extreme ranges fall back to the double-precision sum.
/// </summary>
public sealed class VectorNormTests
{
    [Theory]
    [InlineData(128)]
    [InlineData(64)]
    [InlineData(46)]
    [InlineData(7)]
    public void Norm_is_the_documented_fixed_order_sum(int d)
    {
        var random = new Random(d);
        for (int trial = 0; trial < 50; trial++)
        {
            var x = new float[d];
            for (int i = 0; i < d; i++) x[i] = (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-3, 4)));
            float expected = Reference(x);
            float actual = VectorNorm.NormOrThrow(x, "vector");
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
        }
    }

    [Theory]
    [InlineData(1e25)]
    [InlineData(1e-25)]
    [InlineData(3e-39)] // subnormal
    public void Extreme_magnitudes_take_the_double_sum(double magnitude)
    {
        var x = new float[128];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(magnitude * (i % 3 - 1));
        double exact = 0;
        foreach (float v in x) exact += (double)v * v;
        Assert.Equal((float)Math.Sqrt(exact), VectorNorm.NormOrThrow(x, "vector"));
        Assert.True(VectorNorm.NormOrThrow(x, "vector") > 0f);
    }

    [Fact]
    public void Zero_is_zero_and_non_finite_values_are_named()
    {
        Assert.Equal(0f, VectorNorm.NormOrThrow(new float[128], "vector"));
        var x = new float[128];
        x[77] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => VectorNorm.NormOrThrow(x, "vector"));
        Assert.Equal("vector", error.ParamName);
        Assert.Contains("index 77", error.Message, StringComparison.Ordinal);
        x[77] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => VectorNorm.NormOrThrow(x, "vector"));
    }

    private static float Reference(float[] x)
    {
        var sums = new float[16];
        int whole = x.Length / 16 * 16;
        for (int i = 0; i < whole; i++)
        {
            float square = x[i] * x[i];
            sums[i % 16] = sums[i % 16] + square;
        }

        for (int width = 8; width > 0; width /= 2)
            for (int l = 0; l < width; l++) sums[l] = sums[l] + sums[l + width];
        float sum = sums[0];
        for (int i = whole; i < x.Length; i++)
        {
            float square = x[i] * x[i];
            sum += square;
        }

        return MathF.Sqrt(sum);
    }
}
