using System;
using System.IO;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class MixedPrecisionKvCacheFileTests
{
    private const int D = TestCodecs.Dimension;
    private static readonly float Scale = 1f / MathF.Sqrt(D);

    private static MixedPrecisionKvCache<FibQuantizer> Empty(string keys, string values, int window = 0) =>
        new(D, MixedPrecisionKvCacheTests.Format(keys), MixedPrecisionKvCacheTests.Format(values), window);

    private static byte[] Saved(MixedPrecisionKvCache<FibQuantizer> cache)
    {
        using var stream = new MemoryStream();
        MixedPrecisionKvCacheFile.Save(stream, cache);
        return stream.ToArray();
    }

    [Theory]
    [InlineData("fp16", "nibbles", 0)]
    [InlineData("fp16", "nibbles", 7)]
    [InlineData("nibbles", "fp32", 300)]
    [InlineData("bytes", "scalar", 20)]
    [InlineData("fp32", "fp16", 0)]
    [InlineData("fp32", "fp32", 0)]
    [InlineData("wide", "fp16", 3)]
    public void A_loaded_cache_holds_the_same_tokens_and_attends_bit_for_bit_the_same(string keys, string values, int window)
    {
        MixedPrecisionKvCache<FibQuantizer> original = MixedPrecisionKvCacheTests.Filled(keys, values, 270, seed: 201, window);
        MixedPrecisionKvCache<FibQuantizer> loaded = Empty(keys, values, window);
        MixedPrecisionKvCacheFile.Load(new MemoryStream(Saved(original)), loaded);

        Assert.Equal(original.Count, loaded.Count);
        Assert.Equal(original.FullPrecisionStart, loaded.FullPrecisionStart);
        Assert.Equal(original.BytesUsed, loaded.BytesUsed);
        float[] a = new float[D], b = new float[D];
        for (int t = 0; t < original.Count; t++)
        {
            original.DecodeKey(t, a);
            loaded.DecodeKey(t, b);
            Assert.Equal(a, b);
            original.DecodeValue(t, a);
            loaded.DecodeValue(t, b);
            Assert.Equal(a, b);
        }

        // Continuing both with the same tokens keeps them identical (the window restarts where it was).
        float[] k = TestCodecs.Gaussian(10, D, 202), v = TestCodecs.Gaussian(10, D, 203), query = TestCodecs.Gaussian(2, D, 204);
        for (int t = 0; t < 10; t++)
        {
            original.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
            loaded.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
            float[] expected = new float[2 * D], actual = new float[2 * D];
            original.AttendGroup(query, Scale, original.Count, expected);
            loaded.AttendGroup(query, Scale, loaded.Count, actual);
            Assert.Equal(expected, actual);
        }
        Assert.Equal(Saved(original), Saved(loaded));
    }

    [Fact]
    public void The_file_holds_each_stream_in_its_stored_form()
    {
        MixedPrecisionKvCache<FibQuantizer> cache = MixedPrecisionKvCacheTests.Filled("fp16", "nibbles", 40, seed: 211, window: 5);
        // Header, per token an fp16 key (128 B) and an encoded value (EncodedSize), the window's fp32 values, checksum.
        long expected = 56 + 40L * (2 * D + TestCodecs.Nibbles.EncodedSize) + 5L * D * 4 + 8;
        Assert.Equal(expected, Saved(cache).Length);
    }

    [Fact]
    public void A_file_of_other_settings_is_refused_and_leaves_the_cache_empty()
    {
        byte[] file = Saved(MixedPrecisionKvCacheTests.Filled("fp16", "nibbles", 30, seed: 221, window: 6));

        MixedPrecisionKvCache<FibQuantizer> target = MixedPrecisionKvCacheTests.Filled("fp32", "nibbles", 3, seed: 1, window: 6);
        Assert.Contains("holds keys as Float16", Assert.Throws<InvalidDataException>(() => MixedPrecisionKvCacheFile.Load(new MemoryStream(file), target)).Message);
        Assert.Equal(0, target.Count);

        var otherCodebook = new MixedPrecisionKvCache<FibQuantizer>(D, KvStreamFormat<FibQuantizer>.Float16,
            KvStreamFormat<FibQuantizer>.Compressed(TestCodecs.NibblesOtherSeed), 6);
        Assert.Contains("codebook fingerprint", Assert.Throws<InvalidDataException>(() => MixedPrecisionKvCacheFile.Load(new MemoryStream(file), otherCodebook)).Message);

        Assert.Contains("window holds 2", Assert.Throws<InvalidDataException>(() => MixedPrecisionKvCacheFile.Load(new MemoryStream(file), Empty("fp16", "nibbles", 2))).Message);
        Assert.Contains("FQMP", Assert.Throws<InvalidDataException>(() => MixedPrecisionKvCacheFile.Load(new MemoryStream(new byte[100]), Empty("fp16", "nibbles", 6))).Message);
    }

    [Fact]
    public void A_corrupt_or_truncated_file_is_refused_and_leaves_the_cache_empty()
    {
        byte[] file = Saved(MixedPrecisionKvCacheTests.Filled("nibbles", "fp32", 30, seed: 231, window: 4));
        MixedPrecisionKvCache<FibQuantizer> target = Empty("nibbles", "fp32", 4);

        byte[] payload = (byte[])file.Clone();
        payload[56 + 100] ^= 0x10;
        Assert.Throws<InvalidDataException>(() => MixedPrecisionKvCacheFile.Load(new MemoryStream(payload), target));
        Assert.Equal(0, target.Count);

        byte[] header = (byte[])file.Clone();
        header[9] ^= 1;
        Assert.Contains("header checksum", Assert.Throws<InvalidDataException>(() => MixedPrecisionKvCacheFile.Load(new MemoryStream(header), target)).Message);

        Assert.Contains("Truncated", Assert.Throws<InvalidDataException>(() => MixedPrecisionKvCacheFile.Load(new MemoryStream(file[..^9]), target)).Message);
        Assert.Equal(0, target.Count);
        MixedPrecisionKvCacheFile.Load(new MemoryStream(file), target);
        Assert.Equal(30, target.Count);
    }
}
