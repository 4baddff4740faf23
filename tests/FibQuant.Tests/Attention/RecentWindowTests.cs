using System;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class RecentWindowTests
{
    private const int D = TestCodecs.Dimension;
    private static readonly float Scale = 1f / MathF.Sqrt(D);

    [Fact]
    public void TheLastWTokensAreHeldExactlyAndOlderOnesCompressed()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        const int tokens = 100, window = 16;
        float[] keys = TestCodecs.Gaussian(tokens, D, 81), values = TestCodecs.Gaussian(tokens, D, 82);
        var cache = new CompressedKvCache<FibQuantizer>(codec, codec, window);
        for (int t = 0; t < tokens; t++) cache.Append(keys.AsSpan(t * D, D), values.AsSpan(t * D, D));

        Assert.Equal(tokens - window, cache.FullPrecisionStart);
        var key = new float[D];
        var code = new byte[codec.EncodedSize];
        var decoded = new float[D];
        for (int t = 0; t < tokens; t++)
        {
            cache.DecodeKey(t, key);
            codec.Encode(keys.AsSpan(t * D, D), code);
            codec.Decode(code, decoded);
            Assert.Equal(t >= tokens - window ? keys.AsSpan(t * D, D).ToArray() : decoded, key);
        }
    }

    [Fact]
    public void AttentionWithAWindowEqualsTheReferencePath()
    {
        FibQuantizer codec = TestCodecs.Bytes;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(codec, codec, 300, seed: 91, window: 40);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        float[] query = TestCodecs.Gaussian(1, D, 92, sigma: 2f);
        foreach (int length in new[] { 300, 270, 100 })
        {
            var output = new float[D];
            cache.Attend(query, Scale, length, output);
            AttentionAssert.Close(AttentionAssert.Reference(cache, query, Scale, length), output, 1e-4f * AttentionAssert.MaxValueNorm(cache, length));
        }

        var compressedOnly = TestCodecs.Filled(codec, codec, 300, seed: 91);
        var withoutWindow = new float[D];
        var withWindow = new float[D];
        compressedOnly.Attend(query, Scale, 300, withoutWindow);
        cache.Attend(query, Scale, 300, withWindow);
        Assert.NotEqual(withoutWindow, withWindow);
    }

    [Fact]
    public void TruncateKeepsOnlyTheFullPrecisionCopiesStillHeld()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(codec, codec, 50, seed: 101, window: 10);
        Assert.Equal(40, cache.FullPrecisionStart);
        cache.Truncate(45);
        Assert.Equal(40, cache.FullPrecisionStart);
        cache.Truncate(30);
        Assert.Equal(30, cache.FullPrecisionStart);
        float[] more = TestCodecs.Gaussian(20, D, 102);
        for (int t = 0; t < 20; t++) cache.Append(more.AsSpan(t * D, D), more.AsSpan(t * D, D));
        Assert.Equal(40, cache.FullPrecisionStart);
        var key = new float[D];
        cache.DecodeKey(49, key);
        Assert.Equal(more.AsSpan(19 * D, D).ToArray(), key);
    }

    [Fact]
    public void EncodedAppendsRestartTheWindow()
    {
        FibQuantizer codec = TestCodecs.Nibbles;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(codec, codec, 20, seed: 111, window: 8);
        var key = new byte[codec.EncodedSize];
        var value = new byte[codec.EncodedSize];
        cache.CopyEncodedKey(3, key);
        cache.CopyEncodedValue(3, value);
        cache.AppendEncoded(key, value);
        Assert.Equal(21, cache.FullPrecisionStart);
        var original = new float[D];
        var appended = new float[D];
        cache.DecodeKey(3, original);
        cache.DecodeKey(20, appended);
        Assert.Equal(original, appended);
    }
}
