using FibQuant.Design;
using Xunit;

namespace FibQuant.Tests.Design;

public class DeterministicMathTests
{
    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-10)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(12345.678)]
    [InlineData(1e300)]
    [InlineData(4.9e-324)]
    public void LogMatchesHostToAFewUlps(double x)
    {
        double expected = Math.Log(x);
        Assert.Equal(expected, DeterministicMath.Log(x), Math.Abs(expected) * 4e-16 + 1e-300);
    }

    [Theory]
    [InlineData(-700.0)]
    [InlineData(-3.5)]
    [InlineData(0.0)]
    [InlineData(1e-8)]
    [InlineData(1.0)]
    [InlineData(50.25)]
    [InlineData(709.0)]
    public void ExpMatchesHostToAFewUlps(double x)
    {
        double expected = Math.Exp(x);
        Assert.Equal(expected, DeterministicMath.Exp(x), expected * 4e-16);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-2.0)]
    [InlineData(3.14159)]
    [InlineData(100.0)]
    public void SinCosMatchHost(double x)
    {
        Assert.Equal(Math.Sin(x), DeterministicMath.Sin(x), 1e-15);
        Assert.Equal(Math.Cos(x), DeterministicMath.Cos(x), 1e-15);
    }

    [Fact]
    public void PowAndLogGammaMatchKnownValues()
    {
        Assert.Equal(Math.Pow(2.5, 3.25), DeterministicMath.Pow(2.5, 3.25), 1e-13);
        Assert.Equal(Math.Log(24.0), DeterministicMath.LogGamma(5.0), 1e-14);
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI)), DeterministicMath.LogGamma(0.5), 1e-14);
        Assert.Equal(0.0, DeterministicMath.Pow(0.0, 2.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicMath.Pow(-1.0, 0.5));
    }

    [Fact]
    public void SpecialValues()
    {
        Assert.True(double.IsNaN(DeterministicMath.Log(-1)));
        Assert.Equal(double.NegativeInfinity, DeterministicMath.Log(0));
        Assert.Equal(double.PositiveInfinity, DeterministicMath.Exp(1000));
        Assert.Equal(0.0, DeterministicMath.Exp(-1000));
        Assert.Equal(-3.0, DeterministicMath.Floor(-2.5));
        Assert.Equal(2.0, DeterministicMath.Floor(2.999));
    }

    [Fact]
    public void GoldenBitsOfElementaryFunctions()
    {
        // Pinned bit patterns: any change to these implementations changes every codebook, so it must fail loudly.
        Assert.Equal(0x3FE62E42FEFA39EFL, BitConverter.DoubleToInt64Bits(DeterministicMath.Log(2.0)));
        Assert.Equal(0x4005BF0A8B145768L, BitConverter.DoubleToInt64Bits(DeterministicMath.Exp(1.0)));
        Assert.Equal(0x3FEAED548F090CEEL, BitConverter.DoubleToInt64Bits(DeterministicMath.Sin(1.0)));
    }
}
