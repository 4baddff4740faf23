using System.IO;
using FibQuant.Coding;
using FsCheck.Xunit;
using Xunit;

namespace FibQuant.Tests.Properties;

/// <summary>Encode/decode properties over random small specs, norm formats, encoders and input scales.</summary>
[Properties(Arbitrary = new[] { typeof(CodecArbitraries) }, MaxTest = 50)]
public sealed class CodecProperties
{
    private const int Vectors = 6;

    /// <summary>
    /// Decoding gives x̂ = ν Πᵀ c; re-encoding x̂ searches c/‖c‖. The exact encoder must return, per block, a nearest
    /// codeword of that rescaled block — the original index whenever the original codeword is still nearest — and a
    /// norm header of ν‖c‖.
    /// </summary>
    [Property]
    public void Reencoding_the_decoded_vector_gives_the_nearest_indices(CodecCase c)
    {
        FibQuantizer q = c.Quantizer;
        if (q.Encoder != EncoderKind.Exact) q = new FibQuantizer(q.Codebook, q.NormFormat);
        int d = q.Dimension, k = q.BlockSize, blocks = d / k, bits = q.Codebook.Spec.IndexBits, header = NormHeader.Size(q.NormFormat);
        float[] vectors = c.Vectors(Vectors);
        byte[] code = new byte[q.EncodedSize], again = new byte[q.EncodedSize];
        float[] decoded = new float[d];
        ushort[] first = new ushort[blocks], second = new ushort[blocks];
        ReadOnlySpan<float> table = q.CodewordTable;
        for (int v = 0; v < Vectors; v++)
        {
            q.Encode(vectors.AsSpan(v * d, d), code);
            q.Decode(code, decoded);
            q.Encode(decoded, again);
            BitPacking.Unpack(code.AsSpan(header), bits, first);
            BitPacking.Unpack(again.AsSpan(header), bits, second);
            double cc = 0;
            foreach (ushort index in first) cc += Dot(table.Slice(index * k, k), table.Slice(index * k, k));
            float norm = NormHeader.Read(code, q.NormFormat);
            if (norm == 0f) continue;
            double s = 1 / Math.Sqrt(cc);
            Assert.Equal(norm * Math.Sqrt(cc), NormHeader.Read(again, q.NormFormat), norm * Math.Sqrt(cc) * (q.NormFormat == NormFormat.Half ? 2e-3 : 1e-4));
            for (int i = 0; i < blocks; i++)
            {
                ReadOnlySpan<float> original = table.Slice(first[i] * k, k);
                double best = double.MaxValue;
                for (int n = 0; n < q.Codewords; n++) best = Math.Min(best, Distance(original, s, table.Slice(n * k, k)));
                double got = Distance(original, s, table.Slice(second[i] * k, k));
                Assert.True(got <= best + 1e-4, $"block {i}: index {second[i]} at {got}, nearest at {best}");
                if (Distance(original, s, original) <= best + 1e-9 && second[i] != first[i])
                    Assert.True(got <= Distance(original, s, original) + 1e-4, $"block {i}: the original codeword was nearest");
            }
        }
    }

    /// <summary>The stored norm is ‖x‖ to the header's precision; the decoded norm is ν times the codeword norm.</summary>
    [Property]
    public void Norm_header_holds_the_norm_to_header_precision(CodecCase c)
    {
        FibQuantizer q = c.Quantizer;
        int d = q.Dimension;
        float[] vectors = c.Vectors(Vectors);
        byte[] code = new byte[q.EncodedSize];
        float[] decoded = new float[d];
        for (int v = 0; v < Vectors; v++)
        {
            ReadOnlySpan<float> x = vectors.AsSpan(v * d, d);
            double norm = Math.Sqrt(Dot(x, x));
            q.Encode(x, code);
            double stored = NormHeader.Read(code, q.NormFormat);
            double tolerance = q.NormFormat == NormFormat.Half ? Math.Max(norm * Math.Pow(2, -11), Math.Pow(2, -24)) : norm * SingleNormBound(d);
            Assert.Equal(norm, stored, tolerance);
            q.Decode(code, decoded);
            double decodedNorm = Math.Sqrt(Dot(decoded, decoded));
            // ‖x̂‖ = ν‖c‖ and every codeword block lies inside the unit ball's neighbourhood: ‖c‖ ≤ √(d/k)·max‖c_n‖.
            Assert.True(decodedNorm <= stored * Math.Sqrt(d / q.BlockSize) * MaxCodewordNorm(q) * (1 + 1e-5) + 1e-30);
            Assert.True(decodedNorm > 0 || stored == 0);
        }
    }

    // VectorNorm sums x_i² in fp32: along any path a square takes at most ⌊d/16⌋ lane adds, 4 tree adds and d mod 16
    // tail adds plus its own rounding, so the sum is within m·u (u = 2^-24, m that count) relatively; the square root
    // halves that and rounds once more.
    private static double SingleNormBound(int d) => ((d / 16 + 4 + d % 16 + 1) / 2.0 + 1) * Math.Pow(2, -24);

    /// <summary>EncodedSize, BitsPerCoordinate and CompressionRatio follow the formulas from the bit counts.</summary>
    [Property]
    public void Size_rate_and_compression_follow_the_formulas(CodecCase c)
    {
        FibQuantizer q = c.Quantizer;
        int d = q.Dimension, k = q.BlockSize, n = q.Codewords;
        int log2N = (int)Math.Round(Math.Log2(n));
        int headerBytes = q.NormFormat == NormFormat.Half ? 2 : 4;
        Assert.Equal(1 << log2N, n);
        Assert.Equal(headerBytes + (int)Math.Ceiling(d / k * log2N / 8.0), q.EncodedSize);
        Assert.Equal((double)log2N / k, q.BitsPerCoordinate, 12);
        Assert.Equal(16.0 * d / (8 * headerBytes + (double)d / k * log2N), q.CompressionRatio, 12);
        byte[] codes = new byte[3 * q.EncodedSize];
        q.EncodeBatch(c.Vectors(3), codes);
        Assert.Throws<ArgumentException>(() => q.EncodeBatch(c.Vectors(3), new byte[codes.Length + 1]));
    }

    /// <summary>Any code with a corrupt norm header is rejected with <see cref="InvalidDataException"/>, never decoded.</summary>
    [Property]
    public void Negative_or_non_finite_norm_headers_are_rejected(CodecCase c, bool infinity)
    {
        FibQuantizer q = c.Quantizer;
        byte[] code = new byte[q.EncodedSize];
        q.Encode(c.Vectors(1), code);
        if (q.NormFormat == NormFormat.Half) System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(code, infinity ? Half.PositiveInfinity : (Half)(-1f));
        else System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(code, infinity ? float.NaN : -1f);
        Assert.Throws<InvalidDataException>(() => q.Decode(code, new float[q.Dimension]));
    }

    private static double MaxCodewordNorm(FibQuantizer q)
    {
        double max = 0;
        for (int n = 0; n < q.Codewords; n++)
        {
            ReadOnlySpan<float> w = q.CodewordTable.Slice(n * q.BlockSize, q.BlockSize);
            max = Math.Max(max, Math.Sqrt(Dot(w, w)));
        }

        return max;
    }

    private static double Distance(ReadOnlySpan<float> block, double scale, ReadOnlySpan<float> codeword)
    {
        double sum = 0;
        for (int j = 0; j < block.Length; j++)
        {
            double diff = scale * block[j] - codeword[j];
            sum += diff * diff;
        }

        return sum;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
