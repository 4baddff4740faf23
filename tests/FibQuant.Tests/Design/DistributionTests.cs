using FibQuant.Design;
using Xunit;

namespace FibQuant.Tests.Design;

public class DistributionTests
{
    [Theory]
    [InlineData(0.5, 31.5, 0.01)]
    [InlineData(2.0, 30.0, 0.1)]
    [InlineData(4.0, 60.0, 0.05)]
    [InlineData(1.0, 1.0, 0.3)]
    public void IncompleteBetaInverseRoundTrips(double a, double b, double x)
    {
        double p = IncompleteBeta.Regularized(a, b, x);
        Assert.Equal(x, IncompleteBeta.Inverse(a, b, p), 1e-12);
    }

    [Fact]
    public void IncompleteBetaKnownValues()
    {
        Assert.Equal(0.3, IncompleteBeta.Regularized(1, 1, 0.3), 1e-14);            // uniform
        Assert.Equal(1 - Math.Pow(0.7, 5), IncompleteBeta.Regularized(1, 5, 0.3), 1e-14);
        Assert.Equal(Math.Pow(0.3, 3), IncompleteBeta.Regularized(3, 1, 0.3), 1e-14);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(1e-10, -6.361340902404056)]
    public void NormalQuantileKnownValues(double p, double z) => Assert.Equal(z, NormalQuantile.Inverse(p), 1e-12);

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 4)]
    [InlineData(128, 8)]
    public void SphericalBetaBlocksHaveTheRightMoments(int d, int k)
    {
        double[] samples = SphericalBetaSampler.Sample(d, k, 200_000, new DesignRandom(5, DesignStream.Training));
        double sumSquares = 0, sumFourth = 0, sumFirst = 0;
        for (int i = 0; i < samples.Length / k; i++)
        {
            double r2 = 0;
            for (int j = 0; j < k; j++) r2 += samples[i * k + j] * samples[i * k + j];
            sumSquares += r2;
            sumFourth += r2 * r2;
            sumFirst += samples[i * k];
        }

        int n = samples.Length / k;
        // ‖y‖² ~ Beta(k/2, (d−k)/2): mean k/d, second moment k(k+2)/(d(d+2)); coordinates have mean zero.
        Assert.Equal((double)k / d, sumSquares / n, 0.01 * k / d);
        Assert.Equal(k * (k + 2.0) / (d * (d + 2.0)), sumFourth / n, 0.02 * k * (k + 2.0) / (d * (d + 2.0)));
        Assert.True(Math.Abs(sumFirst / n) < 4 * Math.Sqrt(1.0 / d / n));
    }

    [Fact]
    public void ShellRadiiAreIncreasingBetaQuantiles()
    {
        double[] radii = ShellRadii.Compute(64, 2, 4);
        for (int l = 0; l < radii.Length; l++)
        {
            Assert.Equal((l + 0.5) / 4, IncompleteBeta.Regularized(1, 31, radii[l] * radii[l]), 1e-12);
            if (l > 0) Assert.True(radii[l] > radii[l - 1]);
        }
    }

    [Theory]
    [InlineData(2, 16)]
    [InlineData(3, 64)]
    [InlineData(4, 32)]
    [InlineData(8, 128)]
    public void DirectionsAreDistinctUnitVectors(int k, int count)
    {
        double[] points = SphereDirections.Create(k, count);
        for (int m = 0; m < count; m++)
        {
            double norm = 0;
            for (int j = 0; j < k; j++) norm += points[m * k + j] * points[m * k + j];
            Assert.Equal(1.0, norm, 1e-12);
            for (int o = 0; o < m; o++)
            {
                double dist = 0;
                for (int j = 0; j < k; j++) dist += Math.Pow(points[m * k + j] - points[o * k + j], 2);
                Assert.True(dist > 1e-6, $"directions {o} and {m} coincide");
            }
        }
    }

    [Fact]
    public void GeneralizedGoldenRatios()
    {
        Assert.Equal((1 + Math.Sqrt(5)) / 2, SphereDirections.GeneralizedGoldenRatio(1), 1e-15);
        Assert.Equal(1.324717957244746, SphereDirections.GeneralizedGoldenRatio(2), 1e-15); // plastic number
    }

    [Fact]
    public void PrngIsAFixedSequence()
    {
        var random = new DesignRandom(42, DesignStream.Training);
        ulong first = random.NextUInt64();
        Assert.Equal(first, new DesignRandom(42, DesignStream.Training).NextUInt64());
        Assert.NotEqual(first, new DesignRandom(42, DesignStream.Rotation).NextUInt64());
        Assert.NotEqual(first, new DesignRandom(43, DesignStream.Training).NextUInt64());
    }
}
