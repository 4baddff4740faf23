using System;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class CacheInvariantTests
{
    private const int D = TestCodecs.Dimension;

    [Theory]
    [InlineData("nibbles")]
    [InlineData("bytes")]
    [InlineData("wide")]
    public void RandomAccessDecodeEqualsTheCodecAcrossPages(string name)
    {
        FibQuantizer codec = TestCodecs.ByName(name);
        const int tokens = 2 * CompressedKvCache<FibQuantizer>.PageTokens + 37;
        float[] keys = TestCodecs.Gaussian(tokens, D, 121), values = TestCodecs.Gaussian(tokens, D, 122);
        var cache = new CompressedKvCache<FibQuantizer>(codec, codec);
        for (int t = 0; t < tokens; t++) cache.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));

        var code = new byte[codec.EncodedSize];
        var stored = new byte[codec.EncodedSize];
        var expected = new float[D];
        var actual = new float[D];
        foreach (int t in new[] { 0, 31, 32, 255, 256, 300, tokens - 1 })
        {
            codec.Encode(values.AsSpan(t * D, D), code);
            cache.CopyEncodedValue(t, stored);
            Assert.Equal(code, stored);
            codec.Decode(code, expected);
            cache.DecodeValue(t, actual);
            Assert.Equal(expected, actual);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => cache.DecodeKey(tokens, actual));
    }

    [Fact]
    public void TruncateThenAppendMatchesACacheBuiltDirectly()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        float[] a = TestCodecs.Gaussian(300, D, 131), b = TestCodecs.Gaussian(100, D, 132);
        var truncated = new CompressedKvCache<FibQuantizer>(codec, codec);
        var direct = new CompressedKvCache<FibQuantizer>(codec, codec);
        for (int t = 0; t < 300; t++) truncated.Append(a.AsSpan(t * D, D), a.AsSpan(t * D, D));
        truncated.Truncate(40);
        Assert.Equal(40, truncated.Count);
        for (int t = 0; t < 40; t++) direct.Append(a.AsSpan(t * D, D), a.AsSpan(t * D, D));
        for (int t = 0; t < 100; t++)
        {
            truncated.Append(b.AsSpan(t * D, D), b.AsSpan(t * D, D));
            direct.Append(b.AsSpan(t * D, D), b.AsSpan(t * D, D));
        }

        float[] query = TestCodecs.Gaussian(1, D, 133);
        var x = new float[D];
        var y = new float[D];
        truncated.Attend(query, 0.125f, 140, x);
        direct.Attend(query, 0.125f, 140, y);
        Assert.Equal(y, x);

        truncated.Clear();
        Assert.Equal(0, truncated.Count);
        Assert.Equal(0, truncated.BytesUsed);
        Assert.Throws<ArgumentOutOfRangeException>(() => truncated.Attend(query, 1f, 1, x));
        Assert.Throws<ArgumentOutOfRangeException>(() => direct.Truncate(141));
    }

    [Fact]
    public void HalfInputEqualsFloatInputOfTheSameValues()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        float[] data = TestCodecs.Gaussian(2, D, 141);
        var halves = new Half[2 * D];
        var rounded = new float[2 * D];
        for (int i = 0; i < halves.Length; i++)
        {
            halves[i] = (Half)data[i];
            rounded[i] = (float)halves[i];
        }

        var fromHalf = new CompressedKvCache<FibQuantizer>(codec, codec);
        var fromFloat = new CompressedKvCache<FibQuantizer>(codec, codec);
        fromHalf.Append(halves.AsSpan(0, D), halves.AsSpan(D, D));
        fromFloat.Append(rounded.AsSpan(0, D), rounded.AsSpan(D, D));
        var x = new byte[codec.EncodedSize];
        var y = new byte[codec.EncodedSize];
        fromHalf.CopyEncodedValue(0, x);
        fromFloat.CopyEncodedValue(0, y);
        Assert.Equal(y, x);
    }

    [Fact]
    public void MemoryAccountingCountsFormatNormsCodesAndWindow()
    {
        FibQuantizer nibbles = TestCodecs.Nibbles, bytes = TestCodecs.Bytes;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(nibbles, bytes, 100, seed: 151);
        // keys: 2-byte fp16 norm + 32 blocks · 4 bits = 18 bytes; values: 2 + 32 blocks · 6 bits (packed) = 26 bytes:
        // exactly the format's EncodedSize for both.
        Assert.Equal(18, nibbles.EncodedSize);
        Assert.Equal(26, bytes.EncodedSize);
        Assert.Equal(100L * (18 + 26), cache.BytesUsed);
        Assert.Equal(100L * 2 * D * 2, cache.Float16Bytes);
        Assert.True(cache.BytesUsed * 4 < cache.Float16Bytes);

        CompressedKvCache<FibQuantizer> windowed = TestCodecs.Filled(nibbles, nibbles, 100, seed: 152, window: 10);
        Assert.Equal(100L * 2 * nibbles.EncodedSize + 10L * 2 * D * 4, windowed.BytesUsed);
        var fp16 = new Float16KeyValueCache(D);
        fp16.Append(new float[D], new float[D]);
        Assert.Equal(4L * D, fp16.BytesUsed);
    }

    [Fact]
    public void MismatchedCodecsAreRejected()
    {
        var other = new FibQuantizer(FibQuant.Design.CodebookDesigner.Design(
            new FibQuant.Design.CodebookSpec(32, 2, 16, 1, FibQuant.Design.RotationKind.Haar, trainingSamples: 4096, restarts: 1)));
        Assert.Throws<ArgumentException>(() => new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, other));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles, -1));
    }
}
