using System;
using System.Collections.Concurrent;
using System.Numerics;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;
using Xunit;

namespace FibQuant.Tests.Attention;

/// <summary>
/// The packed code layout: bit-exact packing and unpacking (SIMD and scalar), memory accounting equal to the format,
/// attention over packed codes equal to decode-then-attend, and the 8-bit fast scan of packed codes.
/// </summary>
public sealed class PackedCodeLayoutTests
{
    private const int D = TestCodecs.Dimension;
    private static readonly float Scale = 1f / MathF.Sqrt(D);
    private static readonly ConcurrentDictionary<(int K, int N), FibQuantizer> s_codecs = new();

    /// <summary>d = 64 codecs per N: k = 1 for N ≤ 8 (TurboQuant-style), 2 for N ≤ 64, 4 for N ≤ 256, 8 above.</summary>
    private static FibQuantizer Codec(int n, NormFormat norms = NormFormat.Half)
    {
        int k = n <= 8 ? 1 : n <= 64 ? 2 : n <= 256 ? 4 : 8;
        FibQuantizer designed = s_codecs.GetOrAdd((k, n), key =>
            new FibQuantizer(CodebookDesigner.Design(new CodebookSpec(D, key.K, key.N, 5, RotationKind.Haar, trainingSamples: 8192, restarts: 1))));
        return norms == NormFormat.Half ? designed : new FibQuantizer(designed.Codebook, norms);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(16)]
    public void PackedBlocksRoundTripEveryCode(int bits)
    {
        var random = new Random(bits);
        int blocks = 5;
        var codes = new int[blocks * 32];
        var group = new byte[blocks * PackedCodeBlocks.BlockBytes(bits)];
        random.NextBytes(group); // Write must clear what was there (a truncated cache overwrites old codes).
        for (int i = 0; i < codes.Length; i++) codes[i] = random.Next(1 << bits);
        for (int i = 0; i < blocks; i++)
            for (int j = 0; j < 32; j++)
                PackedCodeBlocks.Write(group.AsSpan(i * 4 * bits, 4 * bits), j, bits, codes[i * 32 + j]);
        for (int i = 0; i < blocks; i++)
            for (int j = 0; j < 32; j++)
                Assert.Equal(codes[i * 32 + j], PackedCodeBlocks.Read(group.AsSpan(i * 4 * bits, 4 * bits), j, bits));

        // The format's bit order: code j of a block in bits [j·b, j·b + b), little-endian.
        Assert.Equal(codes[0] & 1, group[0] & 1);
        if (bits <= 8)
        {
            var simd = new byte[blocks * 32];
            var scalar = new byte[blocks * 32];
            PackedCodeBlocks.UnpackBytes(group, blocks, bits, simd);
            PackedCodeBlocks.UnpackBytes(group, blocks, bits, scalar, path: 2);
            Assert.Equal(scalar, simd);
            var deposited = new byte[blocks * 32];
            PackedCodeBlocks.UnpackBytes(group, blocks, bits, deposited, path: 1);
            Assert.Equal(scalar, deposited);
            // With bytes after the group (a group inside a page) the SIMD path reads in place instead of from a padded copy.
            var inPage = new byte[group.Length + 64];
            group.CopyTo(inPage, 0);
            Array.Clear(simd);
            PackedCodeBlocks.UnpackBytes(inPage, blocks, bits, simd);
            Assert.Equal(scalar, simd);
            for (int i = 0; i < codes.Length; i++) Assert.Equal(codes[i], scalar[i]);
        }
        else
        {
            var wide = new ushort[blocks * 32];
            PackedCodeBlocks.UnpackWide(group, blocks, bits, wide);
            for (int i = 0; i < codes.Length; i++) Assert.Equal(codes[i], wide[i]);
        }
    }

    [Theory]
    [InlineData(2, NormFormat.Half)]
    [InlineData(4, NormFormat.Half)]
    [InlineData(8, NormFormat.Half)]
    [InlineData(16, NormFormat.Half)]
    [InlineData(32, NormFormat.Half)]
    [InlineData(64, NormFormat.Half)]
    [InlineData(128, NormFormat.Half)]
    [InlineData(256, NormFormat.Half)]
    [InlineData(1024, NormFormat.Half)]
    [InlineData(4, NormFormat.Single)]
    [InlineData(64, NormFormat.Single)]
    [InlineData(1024, NormFormat.Single)]
    public void BytesUsedEqualsTheFormatSize(int n, NormFormat norms)
    {
        FibQuantizer codec = Codec(n, norms);
        int expectedCode = NormHeader.Size(norms) + D / codec.BlockSize * BitOperations.Log2((uint)n) / 8;
        Assert.Equal(expectedCode, codec.EncodedSize);
        CompressedKvCache<FibQuantizer> cache = Filled(codec, codec, 300, seed: 3);
        Assert.Equal(n == 16 ? CodeLayout.Nibbles : CodeLayout.Packed, cache.KeyLayout);
        Assert.Equal(300L * 2 * codec.EncodedSize, cache.BytesUsed);
        cache.Truncate(37);
        Assert.Equal(37L * 2 * codec.EncodedSize, cache.BytesUsed);

        var mixed = new MixedPrecisionKvCache<FibQuantizer>(D, KvStreamFormat<FibQuantizer>.Float16, KvStreamFormat<FibQuantizer>.Compressed(codec));
        float[] k = TestCodecs.Gaussian(300, D, 4), v = TestCodecs.Gaussian(300, D, 5);
        for (int t = 0; t < 300; t++) mixed.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
        Assert.Equal(300L * (2 * D + codec.EncodedSize), mixed.BytesUsed);
    }

    [Fact]
    public void BytesUsedPacksAcrossTokensWhereTheFormatRoundsEachTokenUp()
    {
        // d = 12, k = 4, N = 8: 3 blocks · 3 bits = 9 bits a token; the format stores 2 bytes, the cache 9 bits.
        var codec = new FibQuantizer(CodebookDesigner.Design(new CodebookSpec(12, 4, 8, 1, RotationKind.Haar, trainingSamples: 4096, restarts: 1)));
        Assert.Equal(2 + 2, codec.EncodedSize);
        var cache = new CompressedKvCache<FibQuantizer>(codec, codec);
        float[] x = TestCodecs.Gaussian(100, 12, 6);
        for (int t = 0; t < 100; t++) cache.Append(x.AsSpan(t * 12, 12), x.AsSpan(t * 12, 12));
        Assert.Equal(2 * (100L * 2 + (100 * 9 + 7) / 8), cache.BytesUsed);
        Assert.True(cache.BytesUsed < 100L * 2 * codec.EncodedSize);
    }

    [Theory]
    [InlineData(2, 4, 300)]
    [InlineData(4, 8, 257)]
    [InlineData(8, 32, 33)]
    [InlineData(32, 64, 511)]
    [InlineData(64, 128, 300)]
    [InlineData(128, 256, 64)]
    [InlineData(256, 2, 100)]
    [InlineData(1024, 64, 40)]
    public void ExactAttentionOverPackedCodesEqualsTheReferencePath(int keyN, int valueN, int tokens)
    {
        CompressedKvCache<FibQuantizer> cache = Filled(Codec(keyN), Codec(valueN), tokens, seed: 11);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        float[] query = TestCodecs.Gaussian(1, D, 12, sigma: 2f);
        foreach (int length in new[] { tokens, (tokens + 1) / 2 })
        {
            var output = new float[D];
            cache.Attend(query, Scale, length, output);
            AttentionAssert.Close(AttentionAssert.Reference(cache, query, Scale, length), output, 1e-4f * AttentionAssert.MaxValueNorm(cache, length));
        }

        // Grouped heads over packed codes: each head as its own Attend, bit for bit.
        float[] queries = TestCodecs.Gaussian(3, D, 13);
        var grouped = new float[3 * D];
        cache.AttendGroup(queries, Scale, tokens, grouped);
        for (int h = 0; h < 3; h++)
        {
            var single = new float[D];
            cache.Attend(queries.AsSpan(h * D, D), Scale, tokens, single);
            Assert.Equal(single, grouped.AsSpan(h * D, D).ToArray());
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(32)]
    [InlineData(64)]
    public void ByteFastScanEqualsItsScalarPathAndStaysWithinTheBound(int n)
    {
        FibQuantizer codec = Codec(n);
        CompressedKvCache<FibQuantizer> cache = Filled(codec, codec, 300, seed: 21);
        Assert.Equal(ByteFastScanKernel.IsAccelerated, cache.SupportsFastScan);
        Assert.Equal(ByteFastScanKernel.IsAccelerated ? ScoreKernel.FastScan : ScoreKernel.ExactTable, cache.KeyScoreKernel);

        int blocks = D / codec.BlockSize, bits = BitOperations.Log2((uint)n);
        float[] query = TestCodecs.Gaussian(1, D, 22);
        var rotated = new float[D];
        codec.Rotate(query, rotated);
        var lut = new float[blocks * n];
        codec.BuildScoreTable(rotated, lut);
        var table = new QuantizedByteScoreTable(blocks, n);
        table.Quantize(lut);

        // One group of 32 tokens packed as the cache packs it; scores from both paths, against the fp32 table sums.
        var random = new Random(n);
        var codes = new int[32 * blocks];
        var group = new byte[blocks * PackedCodeBlocks.BlockBytes(bits)];
        for (int i = 0; i < blocks; i++)
            for (int j = 0; j < 32; j++)
            {
                codes[j * blocks + i] = random.Next(n);
                PackedCodeBlocks.Write(group.AsSpan(i * 4 * bits, 4 * bits), j, bits, codes[j * blocks + i]);
            }

        var simd = new float[32];
        var scalar = new float[32];
        ByteFastScanKernel.ScoreGroup(group, table.Table, blocks, bits, table.Bias, table.InverseScale, simd);
        ByteFastScanKernel.ScoreGroup(group, table.Table, blocks, bits, table.Bias, table.InverseScale, scalar, forceScalar: true);
        Assert.Equal(scalar, simd);
        var inPage = new byte[group.Length + 64];
        group.CopyTo(inPage, 0);
        ByteFastScanKernel.ScoreGroup(inPage, table.Table, blocks, bits, table.Bias, table.InverseScale, simd);
        Assert.Equal(scalar, simd);
        for (int j = 0; j < 32; j++)
        {
            double exact = 0;
            for (int i = 0; i < blocks; i++) exact += lut[i * n + codes[j * blocks + i]];
            Assert.True(Math.Abs(scalar[j] - exact) <= table.MaxAbsoluteError * 1.0001 + 1e-5, $"token {j}: {scalar[j]} vs {exact}");
        }

        if (!cache.SupportsFastScan) return;
        // Through the cache: every score within ν_t · scale · MaxAbsoluteError of the exact kernel's.
        var fast = new float[cache.Count];
        var exactScores = new float[cache.Count];
        cache.ComputeScores(query, Scale, cache.Count, fast);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        cache.ComputeScores(query, Scale, cache.Count, exactScores);
        var key = new byte[codec.EncodedSize];
        for (int t = 0; t < cache.Count; t++)
        {
            cache.CopyEncodedKey(t, key);
            float norm = NormHeader.Read(key, codec.NormFormat);
            Assert.True(MathF.Abs(fast[t] - exactScores[t]) <= norm * Scale * table.MaxAbsoluteError * 1.001f + 1e-5f,
                $"token {t}: {fast[t]} vs {exactScores[t]}");
        }
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(4, 8)]
    [InlineData(1024, 256)]
    public void AttentionOverPackedCodesDoesNotAllocateOnceWarm(int keyN, int valueN)
    {
        CompressedKvCache<FibQuantizer> cache = Filled(Codec(keyN), Codec(valueN), 1000, seed: 31);
        float[] queries = TestCodecs.Gaussian(4, D, 32);
        var outputs = new float[4 * D];
        foreach (ScoreKernel kernel in new[] { ScoreKernel.FastScan, ScoreKernel.ExactTable })
        {
            if (kernel == ScoreKernel.FastScan && !cache.SupportsFastScan) continue;
            cache.KeyScoreKernel = kernel;
            // Warm both entry points: the first call of each may run one-time static initialisers on this thread.
            cache.AttendGroup(queries, Scale, cache.Count, outputs);
            cache.Attend(queries.AsSpan(0, D), Scale, cache.Count, outputs.AsSpan(0, D));
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++)
            {
                cache.AttendGroup(queries, Scale, cache.Count, outputs);
                cache.Attend(queries.AsSpan(0, D), Scale, cache.Count, outputs.AsSpan(0, D));
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Theory]
    [InlineData(1, 8, 1, 200)]
    [InlineData(2, 64, 2, 256)]
    [InlineData(3, 32, 3, 77)]
    [InlineData(4, 64, 5, 33)]
    public void WordPermuteValueKernelMatchesTheFloatPermuteKernel(int k, int n, int heads, int tokens)
    {
        if (!WordPermuteValueKernel.Supports(CodeLayout.Bytes, n, k) || !ValuePermuteKernel.Supports(CodeLayout.Bytes, n)) return;
        const int blocks = 8;
        int d = blocks * k;
        var random = new Random(k * 100 + n);
        var stream = new PagedCodes(blocks, n, NormFormat.Half);
        var indices = new ushort[blocks];
        for (int t = 0; t < tokens; t++)
        {
            for (int i = 0; i < blocks; i++) indices[i] = (ushort)random.Next(n);
            stream.Append(1f, indices);
        }

        var codewords = new float[n * k];
        for (int i = 0; i < codewords.Length; i++) codewords[i] = (float)(random.NextDouble() * 2 - 1);
        float[] tables = ValuePermuteKernel.BuildTables(codewords, k);
        var weights = new float[heads * PagedCodes.PageTokens];
        for (int h = 0; h < heads; h++)
            for (int t = 0; t < tokens; t++) weights[h * PagedCodes.PageTokens + t] = (float)random.NextDouble();
        var words = new float[heads * d * ValuePermuteKernel.Lanes];
        var floats = new float[heads * d * ValuePermuteKernel.Lanes];
        WordPermuteValueKernel.AccumulatePage(stream, 0, tokens, tables, k, weights, heads, words);
        ValuePermuteKernel.AccumulatePage(stream, 0, tokens, tables, k, weights, heads, floats);
        for (int h = 0; h < heads; h++)
        {
            var fromWords = new float[d];
            var fromFloats = new float[d];
            ValuePermuteKernel.Reduce(words.AsSpan(h * d * ValuePermuteKernel.Lanes, d * ValuePermuteKernel.Lanes), fromWords);
            ValuePermuteKernel.Reduce(floats.AsSpan(h * d * ValuePermuteKernel.Lanes, d * ValuePermuteKernel.Lanes), fromFloats);
            // Exact fp32 values summed in another token order: equal up to fp32 rounding of sums of ≤ 256 terms below 1.
            for (int j = 0; j < d; j++) Assert.True(MathF.Abs(fromWords[j] - fromFloats[j]) <= 1e-4f, $"head {h} [{j}]: {fromWords[j]} vs {fromFloats[j]}");
        }
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(32, 33)]
    [InlineData(8, 128)]
    public void ByteTableQuantisesEveryEntryAsTheScalarFormula(int n, int blocks)
    {
        var random = new Random(n + blocks);
        var lut = new float[blocks * n];
        for (int i = 0; i < lut.Length; i++) lut[i] = (float)(random.NextDouble() * 4 - 2);
        var table = new QuantizedByteScoreTable(blocks, n);
        table.Quantize(lut);
        float range = 0f;
        var minima = new float[blocks];
        for (int i = 0; i < blocks; i++)
        {
            float min = lut[i * n], max = lut[i * n];
            for (int c = 1; c < n; c++)
            {
                min = MathF.Min(min, lut[i * n + c]);
                max = MathF.Max(max, lut[i * n + c]);
            }

            minima[i] = min;
            range = MathF.Max(range, max - min);
        }

        float scale = 255f / range;
        Assert.Equal(1f / scale, table.InverseScale);
        for (int i = 0; i < blocks; i++)
            for (int c = 0; c < QuantizedByteScoreTable.RowBytes; c++)
            {
                byte expected = c < n ? (byte)Math.Clamp(MathF.Round((lut[i * n + c] - minima[i]) * scale), 0f, 255f) : (byte)0;
                Assert.Equal(expected, table.Table[i * QuantizedByteScoreTable.RowBytes + c]);
            }
    }

    [Fact]
    public void ByteFastScanRejectsShapesItCannotScore()
    {
        var table = new QuantizedByteScoreTable(4, 64);
        var scores = new float[32];
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteFastScanKernel.ScoreGroup(new byte[96], table.Table, 4, 4, 0f, 1f, scores));
        Assert.Throws<ArgumentException>(() => ByteFastScanKernel.ScoreGroup(new byte[95], table.Table, 4, 6, 0f, 1f, scores));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedByteScoreTable(4, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedByteScoreTable(257, 64));
    }

    private static CompressedKvCache<FibQuantizer> Filled(FibQuantizer keys, FibQuantizer values, int tokens, int seed)
    {
        var cache = new CompressedKvCache<FibQuantizer>(keys, values);
        float[] k = TestCodecs.Gaussian(tokens, D, seed), v = TestCodecs.Gaussian(tokens, D, seed + 1);
        for (int t = 0; t < tokens; t++) cache.Append(k.AsSpan(t * D, D), v.AsSpan(t * D, D));
        return cache;
    }
}
