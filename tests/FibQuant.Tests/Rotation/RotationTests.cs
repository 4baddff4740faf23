using FibQuant.Design;
using FibQuant.Rotation;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Rotation;

public class RotationTests
{
    [Theory]
    [InlineData(RotationKind.Haar, 64, 1e-5)]
    [InlineData(RotationKind.Haar, 128, 1e-5)]
    [InlineData(RotationKind.Hadamard, 64, 1e-6)]
    [InlineData(RotationKind.Hadamard, 128, 1e-6)]
    public void RotationIsOrthogonalAndInverts(RotationKind kind, int d, double tolerance)
    {
        IRotation rotation = Create(kind, d, seed: 11);
        var basis = new float[d];
        var images = new float[d * d];
        var back = new float[d];
        for (int i = 0; i < d; i++)
        {
            Array.Clear(basis);
            basis[i] = 1f;
            rotation.Rotate(basis, images.AsSpan(i * d, d));
            rotation.InverseRotate(images.AsSpan(i * d, d), back);
            for (int j = 0; j < d; j++) Assert.Equal(basis[j], back[j], tolerance);
        }

        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += (double)images[a * d + j] * images[b * d + j];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, tolerance);
            }
        }
    }

    [Fact]
    public void HaarFirstColumnLooksUniformOnTheSphere()
    {
        // Over many seeds, Π e₁ is uniform on S^(d−1): coordinates have mean 0, E[x²] = 1/d, E[x⁴] = 3/(d(d+2)).
        const int d = 16;
        const int seeds = 2000;
        double sum = 0, sum2 = 0, sum4 = 0;
        var basis = new float[d];
        basis[0] = 1f;
        var column = new float[d];
        for (ulong seed = 0; seed < seeds; seed++)
        {
            Create(RotationKind.Haar, d, seed).Rotate(basis, column);
            foreach (float x in column)
            {
                sum += x;
                sum2 += x * x;
                sum4 += x * x * x * x;
            }
        }

        double n = seeds * d;
        Assert.Equal(0.0, sum / n, 0.01);
        Assert.Equal(1.0 / d, sum2 / n, 0.03 / d);
        Assert.Equal(3.0 / (d * (d + 2.0)), sum4 / n, 0.1 * 3.0 / (d * (d + 2.0)));
    }

    [Fact]
    public void WalshHadamardMatchesDefinition()
    {
        var values = new float[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var expected = new float[8];
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                expected[i] += (System.Numerics.BitOperations.PopCount((uint)(i & j)) % 2 == 0 ? 1 : -1) * values[j];
        WalshHadamard.Transform(values);
        Assert.Equal(expected, values);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        IRotation haar = Create(RotationKind.Haar, 8, 1);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => haar.Rotate(new float[7], new float[8])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => haar.Rotate(new float[8], new float[9])).ParamName);
        var shared = new float[8];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => haar.Rotate(shared, shared)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HadamardRotation(12, new float[36]));
        Assert.Throws<ArgumentException>(() => WalshHadamard.Transform(new float[6]));
    }

    private static IRotation Create(RotationKind kind, int d, ulong seed)
    {
        float[] data = RotationDesign.Create(kind, d, seed);
        return kind == RotationKind.Haar ? new HaarRotation(d, data) : new HadamardRotation(d, data);
    }
}
