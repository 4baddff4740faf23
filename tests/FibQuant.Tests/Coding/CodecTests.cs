using System.IO;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Coding;

public class CodecTests
{
    private static readonly CodebookSpec Spec = new(64, 2, 16, seed: 1);

    [Theory]
    [InlineData(NormFormat.Half, 2 + 16)]
    [InlineData(NormFormat.Single, 4 + 16)]
    public void SizesRateAndCompression(NormFormat format, int size)
    {
        var quantizer = new FibQuantizer(Designs.Get(Spec), format);
        Assert.Equal(size, quantizer.EncodedSize);
        Assert.Equal(2.0, quantizer.BitsPerCoordinate);
        Assert.Equal(16.0 * 64 / (8 * (size - 16) + 32 * 4), quantizer.CompressionRatio, 12);
    }

    [Theory]
    [InlineData(RotationKind.Haar)]
    [InlineData(RotationKind.Hadamard)]
    public void RoundTripPreservesNormToHeaderPrecision(RotationKind rotation)
    {
        var quantizer = new FibQuantizer(Designs.Get(new CodebookSpec(64, 2, 16, seed: 1, rotation: rotation)));
        float[] vectors = TestVectors.Gaussian(64, 200, seed: 9, scale: 3.0);
        var code = new byte[quantizer.EncodedSize];
        var decoded = new float[64];
        var codeAgain = new byte[quantizer.EncodedSize];
        for (int i = 0; i < 200; i++)
        {
            ReadOnlySpan<float> x = vectors.AsSpan(i * 64, 64);
            quantizer.Encode(x, code);
            quantizer.Decode(code, decoded);
            double norm = Norm(x);
            float stored = NormHeader.Read(code, NormFormat.Half);
            Assert.Equal(norm, stored, norm * Math.Pow(2, -11));
            // The decoded vector has the stored norm times the codeword norm; re-encoding it reproduces the indices.
            quantizer.Encode(decoded, codeAgain);
            Assert.Equal(code.AsSpan(2).ToArray(), codeAgain.AsSpan(2).ToArray());
            Assert.True(Distance2(x, decoded) < 0.25 * norm * norm);
        }
    }

    [Fact]
    public void BatchEqualsOneByOne()
    {
        var quantizer = new FibQuantizer(Designs.Get(Spec));
        float[] vectors = TestVectors.Gaussian(64, 50, seed: 4);
        var batch = new byte[50 * quantizer.EncodedSize];
        quantizer.EncodeBatch(vectors, batch);
        var single = new byte[quantizer.EncodedSize];
        for (int i = 0; i < 50; i++)
        {
            quantizer.Encode(vectors.AsSpan(i * 64, 64), single);
            Assert.Equal(single, batch.AsSpan(i * quantizer.EncodedSize, quantizer.EncodedSize).ToArray());
        }
    }

    [Fact]
    public void ZeroVectorEncodesAndDecodesToZero()
    {
        var quantizer = new FibQuantizer(Designs.Get(Spec));
        var code = new byte[quantizer.EncodedSize];
        var decoded = Enumerable.Repeat(5f, 64).ToArray();
        quantizer.Encode(new float[64], code);
        Assert.All(code, b => Assert.Equal(0, b));
        quantizer.Decode(code, decoded);
        Assert.All(decoded, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteInputIsRejected(float bad)
    {
        var quantizer = new FibQuantizer(Designs.Get(Spec));
        var vector = new float[64];
        vector[17] = bad;
        var error = Assert.Throws<ArgumentException>(() => quantizer.Encode(vector, new byte[quantizer.EncodedSize]));
        Assert.Equal("vector", error.ParamName);
        Assert.Contains("index 17", error.Message);
    }

    [Fact]
    public void WrongLengthsNameTheParameter()
    {
        var quantizer = new FibQuantizer(Designs.Get(Spec));
        int size = quantizer.EncodedSize;
        Assert.Equal("vector", Assert.Throws<ArgumentException>(() => quantizer.Encode(new float[63], new byte[size])).ParamName);
        Assert.Equal("code", Assert.Throws<ArgumentException>(() => quantizer.Encode(new float[64], new byte[size + 1])).ParamName);
        Assert.Equal("code", Assert.Throws<ArgumentException>(() => quantizer.Decode(new byte[size - 1], new float[64])).ParamName);
        Assert.Equal("vector", Assert.Throws<ArgumentException>(() => quantizer.Decode(new byte[size], new float[65])).ParamName);
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => quantizer.EncodeBatch(new float[100], new byte[size])).ParamName);
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => quantizer.EncodeBatch(new float[128], new byte[size])).ParamName);
    }

    [Fact]
    public void NormTooLargeForHalfHeaderIsRejected()
    {
        var quantizer = new FibQuantizer(Designs.Get(Spec));
        var vector = new float[64];
        vector[0] = 1e6f;
        Assert.Equal("norm", Assert.Throws<ArgumentOutOfRangeException>(() => quantizer.Encode(vector, new byte[quantizer.EncodedSize])).ParamName);
        var wide = new FibQuantizer(Designs.Get(Spec), NormFormat.Single);
        var code = new byte[wide.EncodedSize];
        var decoded = new float[64];
        wide.Encode(vector, code);
        wide.Decode(code, decoded);
        Assert.Equal(1e6f, NormHeader.Read(code, NormFormat.Single));
        Assert.True(Distance2(vector, decoded) < 0.25 * 1e12);
    }

    [Fact]
    public void CorruptHeaderOrPaddingIsRejected()
    {
        var quantizer = new FibQuantizer(Designs.Get(new CodebookSpec(6, 2, 8, seed: 1, trainingSamples: 4096, restarts: 2)));
        Assert.Equal(2 + 2, quantizer.EncodedSize); // 3 indices × 3 bits = 9 bits → 2 bytes, 7 padding bits
        var code = new byte[quantizer.EncodedSize];
        quantizer.Encode(new float[] { 1, 2, 3, 4, 5, 6 }, code);
        code[3] |= 0x80;
        Assert.Throws<InvalidDataException>(() => quantizer.Decode(code, new float[6]));
        var negative = new byte[] { 0x00, 0xBC, 0, 0 }; // fp16 −1.0
        Assert.Throws<InvalidDataException>(() => quantizer.Decode(negative, new float[6]));
        var nan = new byte[] { 0x00, 0x7E, 0, 0 };
        Assert.Throws<InvalidDataException>(() => quantizer.Decode(nan, new float[6]));
    }

    [Fact]
    public void EncodeMatchesBruteForceNearestCodeword()
    {
        Codebook codebook = Designs.Get(new CodebookSpec(64, 4, 16, seed: 1));
        var search = new NearestCodeword(codebook);
        float[] blocks = TestVectors.Gaussian(4, 5000, seed: 12, scale: 0.12);
        for (int i = 0; i < 5000; i++)
        {
            ReadOnlySpan<float> y = blocks.AsSpan(i * 4, 4);
            int best = 0;
            float bestDist = float.PositiveInfinity;
            for (int n = 0; n < 16; n++)
            {
                float acc = 0;
                for (int j = 0; j < 4; j++)
                {
                    float diff = y[j] - codebook.Table[n * 4 + j];
                    acc += diff * diff;
                }

                if (acc < bestDist)
                {
                    bestDist = acc;
                    best = n;
                }
            }

            Assert.Equal(best, search.Find(y));
        }
    }

    [Fact]
    public void TurboQuantIsTheScalarCodecUnderItsOwnName()
    {
        CodebookSpec spec = TurboQuant.Spec(128, 3);
        Assert.Equal(1, spec.BlockSize);
        Assert.Equal(8, spec.Codewords);
        Assert.Equal(3.0, spec.BitsPerCoordinate);
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => TurboQuant.Spec(128, 0)).ParamName);
    }

    private static double Norm(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x) sum += v * (double)v;
        return Math.Sqrt(sum);
    }

    private static double Distance2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (double)(a[i] - b[i]);
        return sum;
    }
}
