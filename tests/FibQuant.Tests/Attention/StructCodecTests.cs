using System;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class StructCodecTests
{
    private const int D = TestCodecs.Dimension;

    [Fact]
    public void AStructCodecGivesTheSameAttentionAsTheClassCodec()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        CompressedKvCache<FibQuantizer> byClass = TestCodecs.Filled(codec, codec, 200, seed: 211);
        var byStruct = new CompressedKvCache<Forwarding>(new Forwarding(codec), new Forwarding(codec));
        float[] keys = TestCodecs.Gaussian(200, D, 211), values = TestCodecs.Gaussian(200, D, 212);
        for (int t = 0; t < 200; t++) byStruct.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));

        float[] query = TestCodecs.Gaussian(1, D, 213);
        var a = new float[D];
        var b = new float[D];
        byClass.Attend(query, 0.125f, 200, a);
        byStruct.Attend(query, 0.125f, 200, b);
        Assert.Equal(a, b);
    }

    /// <summary>A struct codec (the shape of <see cref="GeneratedCodec{T}"/>) forwarding to a runtime codec.</summary>
    private readonly struct Forwarding(FibQuantizer inner) : IVectorCodec
    {
        public int Dimension => inner.Dimension;
        public int BlockSize => inner.BlockSize;
        public int Codewords => inner.Codewords;
        public int EncodedSize => inner.EncodedSize;
        public NormFormat NormFormat => inner.NormFormat;
        public ulong Fingerprint => inner.Fingerprint;
        public ReadOnlySpan<float> CodewordTable => inner.CodewordTable;
        public void Encode(ReadOnlySpan<float> vector, Span<byte> code) => inner.Encode(vector, code);
        public void Decode(ReadOnlySpan<byte> code, Span<float> vector) => inner.Decode(code, vector);
        public void Rotate(ReadOnlySpan<float> vector, Span<float> rotated) => inner.Rotate(vector, rotated);
        public void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector) => inner.InverseRotate(rotated, vector);
        public void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table) => inner.BuildScoreTable(rotatedQuery, table);
    }
}
