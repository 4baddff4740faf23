using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class MixedPrecisionKvCacheTests
{
    private const int D = TestCodecs.Dimension;
    private static readonly float Scale = 1f / MathF.Sqrt(D);
    private static readonly string[] KeyFormats = ["fp32", "fp16", "nibbles", "bytes", "wide"];
    private static readonly string[] ValueFormats = ["fp32", "fp16", "nibbles", "bytes", "scalar"];

    public static IEnumerable<object[]> Combinations()
    {
        foreach (string keys in KeyFormats)
            foreach (string values in ValueFormats)
                yield return [keys, values];
    }

    internal static KvStreamFormat<FibQuantizer> Format(string name) => name switch
    {
        "fp32" => KvStreamFormat<FibQuantizer>.Float32,
        "fp16" => KvStreamFormat<FibQuantizer>.Float16,
        _ => KvStreamFormat<FibQuantizer>.Compressed(TestCodecs.ByName(name)),
    };

    internal static MixedPrecisionKvCache<FibQuantizer> Filled(string keys, string values, int tokens, int seed, int window = 0)
    {
        var cache = new MixedPrecisionKvCache<FibQuantizer>(D, Format(keys), Format(values), window);
        float[] k = TestCodecs.Gaussian(tokens, D, seed), v = TestCodecs.Gaussian(tokens, D, seed + 1);
        for (int t = 0; t < tokens; t++) cache.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
        return cache;
    }

    /// <summary>Decode every key and value as attention uses them, then exact fp32 attention.</summary>
    internal static float[] DecodeThenAttend(MixedPrecisionKvCache<FibQuantizer> cache, ReadOnlySpan<float> query, int length)
    {
        var keys = new float[length * D];
        var values = new float[length * D];
        for (int t = 0; t < length; t++)
        {
            cache.DecodeKey(t, keys.AsSpan(t * D, D));
            cache.DecodeValue(t, values.AsSpan(t * D, D));
        }

        var output = new float[D];
        ReferenceAttention.Attend(query, keys, values, Scale, new float[length], output);
        return output;
    }

    private static float MaxValueNorm(MixedPrecisionKvCache<FibQuantizer> cache, int length)
    {
        var value = new float[D];
        float max = 0f;
        for (int t = 0; t < length; t++)
        {
            cache.DecodeValue(t, value);
            max = MathF.Max(max, TensorPrimitives.Norm(value));
        }

        return max;
    }

    /// <summary>|actual − expected| ≤ 1e-5 · max‖v_t‖ per component: fp32 rounding only.</summary>
    private static void EqualWithin1e5(MixedPrecisionKvCache<FibQuantizer> cache, int length, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual) =>
        AttentionAssert.Close(expected, actual, 1e-5f * MaxValueNorm(cache, length));

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Attention_equals_decode_then_attend_for_every_key_and_value_format(string keys, string values)
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled(keys, values, 333, seed: 61);
        if (cache.SupportsFastScan) cache.KeyScoreKernel = ScoreKernel.ExactTable;
        float[] query = TestCodecs.Gaussian(1, D, 62);
        foreach (int length in new[] { 333, 256, 31, 1 })
        {
            var output = new float[D];
            cache.Attend(query, Scale, length, output);
            EqualWithin1e5(cache, length, DecodeThenAttend(cache, query, length), output);
        }
    }

    [Theory]
    [InlineData("fp16", "nibbles", 8)]
    [InlineData("nibbles", "fp32", 40)]
    [InlineData("bytes", "scalar", 300)]
    [InlineData("fp32", "bytes", 1)]
    public void The_recent_window_is_attended_exactly_and_the_rest_compressed(string keys, string values, int window)
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled(keys, values, 290, seed: 71, window);
        if (cache.SupportsFastScan) cache.KeyScoreKernel = ScoreKernel.ExactTable;
        Assert.Equal(Math.Max(0, 290 - window), cache.FullPrecisionStart);

        // Inside the window a compressed stream returns the appended fp32 vector; before it, the decoded code.
        float[] k = TestCodecs.Gaussian(290, D, 71), v = TestCodecs.Gaussian(290, D, 72);
        var key = new float[D];
        var value = new float[D];
        cache.DecodeKey(289, key);
        cache.DecodeValue(289, value);
        Assert.Equal(Expected(keys, k.AsSpan(289 * D, D)), key);
        Assert.Equal(Expected(values, v.AsSpan(289 * D, D)), value);
        if (window < 290)
        {
            cache.DecodeKey(0, key);
            Assert.Equal(ExpectedOutsideWindow(keys, k.AsSpan(0, D)), key);
        }

        float[] query = TestCodecs.Gaussian(1, D, 73);
        foreach (int length in new[] { 290, 289 - window / 2 })
        {
            var output = new float[D];
            cache.Attend(query, Scale, length, output);
            EqualWithin1e5(cache, length, DecodeThenAttend(cache, query, length), output);
        }
    }

    [Theory]
    [InlineData("fp16", "nibbles")]
    [InlineData("nibbles", "fp32")]
    [InlineData("fp32", "bytes")]
    [InlineData("fp16", "fp16")]
    public void Grouped_attention_equals_attention_per_head(string keys, string values)
    {
        const int heads = 3;
        int window = keys.StartsWith("fp") && values.StartsWith("fp") ? 0 : 5;
        MixedPrecisionKvCache<FibQuantizer> cache = Filled(keys, values, 300, seed: 81, window);
        float[] queries = TestCodecs.Gaussian(heads, D, 82);
        var grouped = new float[heads * D];
        ((IKeyValueCache)cache).AttendGroup(queries, Scale, 280, grouped);
        for (int h = 0; h < heads; h++)
        {
            var single = new float[D];
            cache.Attend(queries.AsSpan(h * D, D), Scale, 280, single);
            EqualWithin1e5(cache, 280, single, grouped.AsSpan(h * D, D));
        }
    }

    [Fact]
    public void Matches_the_fp32_cache_and_the_compressed_cache_holding_the_same_tokens()
    {
        float[] query = TestCodecs.Gaussian(1, D, 92);
        float[] k = TestCodecs.Gaussian(200, D, 90), v = TestCodecs.Gaussian(200, D, 91);
        var reference = new Float32KeyValueCache(D);
        var compressed = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Bytes) { KeyScoreKernel = ScoreKernel.ExactTable };
        for (int t = 0; t < 200; t++)
        {
            reference.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
            compressed.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
        }

        MixedPrecisionKvCache<FibQuantizer> mixed32 = Filled("fp32", "fp32", 200, seed: 90);
        MixedPrecisionKvCache<FibQuantizer> mixedCoded = Filled("nibbles", "bytes", 200, seed: 90);
        mixedCoded.KeyScoreKernel = ScoreKernel.ExactTable;
        float[] expected = new float[D], actual = new float[D];
        reference.Attend(query, Scale, 200, expected);
        mixed32.Attend(query, Scale, 200, actual);
        EqualWithin1e5(mixed32, 200, expected, actual);
        compressed.Attend(query, Scale, 200, expected);
        mixedCoded.Attend(query, Scale, 200, actual);
        EqualWithin1e5(mixedCoded, 200, expected, actual);
    }

    [Fact]
    public void Fast_scan_keys_are_within_the_quantisation_bound()
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled("nibbles", "fp16", 500, seed: 101);
        Assert.Equal(ScoreKernel.FastScan, cache.KeyScoreKernel);
        float[] query = TestCodecs.Gaussian(1, D, 102);
        float[] fast = new float[500], exact = new float[500], output = new float[D];
        cache.ComputeScores(query, Scale, 500, fast);
        cache.Attend(query, Scale, 500, output);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        cache.ComputeScores(query, Scale, 500, exact);

        // As for CompressedKvCache: each score within ν_t · MaxAbsoluteError, so each softmax weight within e^{±2δ}.
        float delta = 0f;
        for (int t = 0; t < 500; t++) delta = MathF.Max(delta, MathF.Abs(fast[t] - exact[t]));
        Assert.True(delta > 0f && delta < 0.05f, $"largest fast-scan score error {delta}");
        float maxValue = MaxValueNorm(cache, 500);
        AttentionAssert.Close(DecodeThenAttend(cache, query, 500), output, maxValue * (MathF.Exp(2 * delta) - 1) + 1e-5f * maxValue);
    }

    [Theory]
    [InlineData("fp32", "fp16", 0, 64 * 4 + 64 * 2)]
    [InlineData("fp16", "nibbles", 0, 64 * 2 + 2 + 16)]   // fp16 norm + 32 four-bit codes
    [InlineData("nibbles", "fp32", 0, 2 + 16 + 64 * 4)]
    [InlineData("fp16", "fp16", 0, 64 * 2 * 2)]
    public void Bytes_used_are_the_stored_bytes(string keys, string values, int window, int bytesPerToken)
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled(keys, values, 300, seed: 111, window);
        Assert.Equal(300L * bytesPerToken, cache.BytesUsed);
        Assert.Equal(4L * 300 * D, cache.Float16Bytes);
        cache.Truncate(10);
        Assert.Equal(10L * bytesPerToken, cache.BytesUsed);
        cache.Clear();
        Assert.Equal(0, cache.BytesUsed);
    }

    [Theory]
    [InlineData("fp16", "bytes")]
    [InlineData("wide", "fp32")]
    public void A_compressed_stream_costs_what_it_costs_in_the_compressed_cache_plus_its_window(string keys, string values)
    {
        const int window = 12;
        string coded = keys.StartsWith("fp") ? values : keys, plain = keys.StartsWith("fp") ? keys : values;
        int plainBytes = D * (plain == "fp16" ? 2 : 4);
        CompressedKvCache<FibQuantizer> both = TestCodecs.Filled(TestCodecs.ByName(coded), TestCodecs.ByName(coded), 100, seed: 121);
        MixedPrecisionKvCache<FibQuantizer> cache = Filled(keys, values, 100, seed: 121, window);
        Assert.Equal(both.BytesUsed / 2 + 100L * plainBytes + window * D * 4L, cache.BytesUsed);
        cache.Truncate(95);
        Assert.Equal(both.BytesUsed / 200 * 95 + 95L * plainBytes + (window - 5) * D * 4L, cache.BytesUsed);
    }

    [Fact]
    public void Truncate_then_append_attends_the_new_tokens()
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled("fp16", "nibbles", 120, seed: 131, window: 4);
        cache.Truncate(50);
        Assert.Equal(50, cache.Count);
        // Tokens 46–49 left the window long ago (their fp32 slots were reused), so they stay compressed.
        Assert.Equal(50, cache.FullPrecisionStart);
        float[] k = TestCodecs.Gaussian(30, D, 132), v = TestCodecs.Gaussian(30, D, 133);
        for (int t = 0; t < 30; t++) cache.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
        Assert.Equal(80, cache.Count);
        Assert.Equal(76, cache.FullPrecisionStart);
        var key = new float[D];
        cache.DecodeKey(50, key);
        Assert.Equal(Expected("fp16", k.AsSpan(0, D)), key);

        float[] query = TestCodecs.Gaussian(1, D, 134);
        var output = new float[D];
        cache.Attend(query, Scale, 80, output);
        EqualWithin1e5(cache, 80, DecodeThenAttend(cache, query, 80), output);
    }

    [Theory]
    [InlineData("fp16", "nibbles")]
    [InlineData("nibbles", "fp32")]
    [InlineData("bytes", "fp16")]
    public void Warm_appends_and_attention_allocate_nothing(string keys, string values)
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled(keys, values, 600, seed: 141, window: 8);
        float[] queries = TestCodecs.Gaussian(4, D, 142), outputs = new float[4 * D], k = TestCodecs.Gaussian(1, D, 143);
        cache.Attend(queries.AsSpan(0, D), Scale, cache.Count, outputs.AsSpan(0, D));
        cache.AttendGroup(queries, Scale, cache.Count, outputs);
        cache.Truncate(590);
        cache.Append(k, k);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            cache.Truncate(590);
            cache.Append(k, k);
            cache.Attend(queries.AsSpan(0, D), Scale, cache.Count, outputs.AsSpan(0, D));
            cache.AttendGroup(queries, Scale, cache.Count, outputs);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_input_gets_an_exception_naming_the_parameter_and_leaves_the_cache_unchanged()
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled("fp16", "nibbles", 10, seed: 151);
        long bytes = cache.BytesUsed;
        float[] good = TestCodecs.Gaussian(1, D, 152), nan = (float[])good.Clone(), huge = (float[])good.Clone();
        nan[5] = float.NaN;
        huge[7] = 1e6f;

        Assert.Equal("key", Assert.Throws<ArgumentException>(() => cache.Append(good.AsSpan(1), good)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => cache.Append(nan, good)).ParamName);
        ArgumentException overflow = Assert.Throws<ArgumentException>(() => cache.Append(huge, good));
        Assert.Equal("key", overflow.ParamName);
        Assert.Contains("fp16", overflow.Message);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => cache.Append(good, nan)).ParamName);
        // A value whose norm exceeds the codec's fp16 norm header (‖v‖ = 8·10⁵ > 65504).
        float[] loud = new float[D];
        Array.Fill(loud, 1e5f);
        Assert.Equal("value", Assert.ThrowsAny<ArgumentException>(() => cache.Append(good, loud)).ParamName);
        Assert.Equal(10, cache.Count);
        Assert.Equal(bytes, cache.BytesUsed);

        var output = new float[D];
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => cache.Attend(good, Scale, 11, output)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => cache.Attend(good, Scale, 0, output)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => cache.Attend(good, float.PositiveInfinity, 5, output)).ParamName);
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => cache.Attend(nan, Scale, 5, output)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => cache.Attend(good, Scale, 5, output.AsSpan(1))).ParamName);
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => cache.AttendGroup(good.AsSpan(1), Scale, 5, output)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => cache.AttendGroup(good, Scale, 5, new float[2 * D])).ParamName);
        Assert.Equal("position", Assert.Throws<ArgumentOutOfRangeException>(() => cache.DecodeKey(10, output)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => cache.Truncate(11)).ParamName);
        Assert.Throws<InvalidOperationException>(() => Filled("fp32", "nibbles", 1, seed: 1).KeyScoreKernel = ScoreKernel.ExactTable);
        Assert.Throws<ArgumentOutOfRangeException>(() => Filled("wide", "fp16", 1, seed: 1).KeyScoreKernel = ScoreKernel.FastScan);
    }

    [Fact]
    public void Bad_settings_get_an_exception_naming_the_parameter()
    {
        var fp16 = KvStreamFormat<FibQuantizer>.Float16;
        var coded = KvStreamFormat<FibQuantizer>.Compressed(TestCodecs.Nibbles);
        Assert.Equal("headDimension", Assert.Throws<ArgumentOutOfRangeException>(() => new MixedPrecisionKvCache<FibQuantizer>(0, fp16, fp16)).ParamName);
        Assert.Equal("recentWindow", Assert.Throws<ArgumentOutOfRangeException>(() => new MixedPrecisionKvCache<FibQuantizer>(D, fp16, coded, -1)).ParamName);
        ArgumentOutOfRangeException noCompressed = Assert.Throws<ArgumentOutOfRangeException>(() => new MixedPrecisionKvCache<FibQuantizer>(D, fp16, fp16, 4));
        Assert.Equal("recentWindow", noCompressed.ParamName);
        Assert.Contains("neither stream is compressed", noCompressed.Message);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => new MixedPrecisionKvCache<FibQuantizer>(2 * D, fp16, coded)).ParamName);
        Assert.Equal("codec", Assert.Throws<ArgumentNullException>(() => KvStreamFormat<FibQuantizer>.Compressed(null!)).ParamName);
    }

    [Fact]
    public void A_second_thread_inside_a_call_is_refused_and_the_first_is_unaffected()
    {
        MixedPrecisionKvCache<FibQuantizer> cache = Filled("fp16", "nibbles", 20, seed: 161);
        float[] vector = TestCodecs.Gaussian(1, D, 162);
        Exception? seen = null;
        using (cache.EnterExclusive())
        {
            var other = new Thread(() => seen = Record.Exception(() => cache.Append(vector, vector)));
            other.Start();
            other.Join();
            Assert.Equal(20, cache.Count);
        }

        InvalidOperationException refused = Assert.IsType<InvalidOperationException>(seen);
        Assert.Contains("already in use", refused.Message);
        cache.Append(vector, vector);
        Assert.Equal(21, cache.Count);
    }

    /// <summary>What a stream returns for an appended vector inside the window (or any full-precision stream).</summary>
    private static float[] Expected(string format, ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        if (format == "fp16") for (int i = 0; i < copy.Length; i++) copy[i] = (float)(Half)copy[i];
        return copy;
    }

    /// <summary>What a stream returns for an appended vector outside the window.</summary>
    private static float[] ExpectedOutsideWindow(string format, ReadOnlySpan<float> vector)
    {
        if (format.StartsWith("fp")) return Expected(format, vector);
        FibQuantizer codec = TestCodecs.ByName(format);
        var code = new byte[codec.EncodedSize];
        var decoded = new float[D];
        codec.Encode(vector, code);
        codec.Decode(code, decoded);
        return decoded;
    }
}
