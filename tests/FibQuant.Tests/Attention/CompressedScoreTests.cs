using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class CompressedScoreTests
{
    private const int D = TestCodecs.Dimension;

    [Theory]
    [InlineData("nibbles")]
    [InlineData("bytes")]
    [InlineData("wide")]
    [InlineData("scalar")]
    public void ExactTableScoresEqualScoresAgainstDecodedKeys(string codec)
    {
        FibQuantizer q = TestCodecs.ByName(codec);
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(q, q, 300, seed: 11);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        float[] query = TestCodecs.Gaussian(1, D, 12);
        float scale = 1f / MathF.Sqrt(D);
        var scores = new float[cache.Count];
        cache.ComputeScores(query, scale, cache.Count, scores);

        var key = new float[D];
        float queryNorm = TensorPrimitives.Norm(query);
        for (int t = 0; t < cache.Count; t++)
        {
            cache.DecodeKey(t, key);
            float expected = scale * TensorPrimitives.Dot(query, key);
            // 1e-4 relative to the Cauchy–Schwarz scale of the score, scale·‖q‖·‖k̂_t‖.
            float tolerance = 1e-4f * scale * queryNorm * TensorPrimitives.Norm(key);
            Assert.True(MathF.Abs(scores[t] - expected) <= tolerance, $"t={t}: {scores[t]} vs {expected} (tol {tolerance})");
        }
    }

    [Fact]
    public void FastScanScoresStayWithinTheDocumentedQuantisationBound()
    {
        FibQuantizer q = TestCodecs.Nibbles;
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(q, q, 300, seed: 21);
        Assert.Equal(ScoreKernel.FastScan, cache.KeyScoreKernel);
        float[] query = TestCodecs.Gaussian(1, D, 22);
        float scale = 1f / MathF.Sqrt(D);
        var fast = new float[cache.Count];
        var exact = new float[cache.Count];
        cache.ComputeScores(query, scale, cache.Count, fast);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        cache.ComputeScores(query, scale, cache.Count, exact);

        QuantizedScoreTable table = QuantizedTable(q, query);
        Assert.True(table.MaxAbsoluteError > 0f);
        var key = new float[D];
        double worst = 0;
        for (int t = 0; t < cache.Count; t++)
        {
            cache.DecodeKey(t, key);
            float bound = scale * TensorPrimitives.Norm(key) * table.MaxAbsoluteError * (1 + 1e-3f) + 1e-6f;
            float error = MathF.Abs(fast[t] - exact[t]);
            Assert.True(error <= bound, $"t={t}: error {error} above bound {bound}");
            worst = Math.Max(worst, error);
        }

        Assert.True(worst > 0, "the 8-bit table should change at least one score");
    }

    [Fact]
    public void FastScanSimdAndScalarPathsAgreeExactly()
    {
        var random = new Random(5);
        const int blocks = 32;
        var group = new byte[blocks * 16];
        var table = new byte[blocks * 16];
        random.NextBytes(group);
        random.NextBytes(table);
        var simd = new float[32];
        var scalar = new float[32];
        FastScanKernel.ScoreGroup(group, table, blocks, 0.25f, 0.01f, simd);
        FastScanKernel.ScoreGroup(group, table, blocks, 0.25f, 0.01f, scalar, forceScalar: true);
        Assert.Equal(scalar, simd);

        int direct = 0;
        for (int i = 0; i < blocks; i++) direct += table[i * 16 + (group[i * 16 + 3] >> 4)];
        Assert.Equal(0.25f + 0.01f * direct, scalar[19]);
    }

    // The table must hold round-half-to-even((LUT − row minimum) · 255 / largest row range) for every entry; row 0 spans
    // exactly 255 with entries at k + ½, so ties occur and must go to the even level.
    [Fact]
    public void QuantizedTableHoldsTheRoundedLevelsOfEveryRow()
    {
        var random = new Random(17);
        const int blocks = 24;
        var lut = new float[blocks * 16];
        for (int i = 0; i < lut.Length; i++) lut[i] = (float)(random.NextDouble() * 40 - 20);
        for (int n = 0; n < 16; n++) lut[n] = n == 0 ? -3f : n == 15 ? 252f : -3f + n * 16 + 0.5f;
        var table = new QuantizedScoreTable(blocks + 4);
        table.Quantize(lut);
        // The largest range is row 0's, 255, so the scale 255 / range is 1.
        double bias = 0;
        for (int i = 0; i < blocks; i++)
        {
            float min = float.MaxValue;
            for (int n = 0; n < 16; n++) min = MathF.Min(min, lut[i * 16 + n]);
            bias += min;
            for (int n = 0; n < 16; n++)
            {
                float level = Math.Clamp(MathF.Round(lut[i * 16 + n] - min), 0f, 255f);
                Assert.Equal((byte)level, table.Table[i * 16 + n]);
            }
        }

        Assert.Equal(16, table.Table[1]); // 16.5 rounds to even, not up to 17
        Assert.Equal((float)bias, table.Bias);
        Assert.Equal(1f, table.InverseScale);
        for (int i = blocks * 16; i < table.Table.Length; i++) Assert.Equal(0, table.Table[i]);
    }

    // The page call must give, for every token, exactly the per-group kernel's score times the token's norm, and write
    // nothing past the last token (the caller's row continues with another head's scores).
    [Theory]
    [InlineData(256)]
    [InlineData(200)]
    [InlineData(7)]
    public void FastScanPageEqualsGroupTimesNormAndStopsAtTheLastToken(int tokens)
    {
        var random = new Random(11);
        const int blocks = 64, groupBytes = blocks * 16 + 16;
        var codes = new byte[8 * groupBytes];
        var table = new byte[blocks * 16];
        random.NextBytes(codes);
        random.NextBytes(table);
        var norms = new float[256];
        for (int t = 0; t < norms.Length; t++) norms[t] = 0.5f + (float)random.NextDouble();
        var page = new float[tokens + 5];
        Array.Fill(page, float.NaN);
        FastScanKernel.ScorePageTimesNorms(codes, groupBytes, tokens, table, blocks, 0.75f, 0.003f, norms, page.AsSpan(0, tokens));
        var group = new float[32];
        for (int g = 0; g * 32 < tokens; g++)
        {
            FastScanKernel.ScoreGroup(codes.AsSpan(g * groupBytes, groupBytes), table, blocks, 0.75f, 0.003f, group, forceScalar: true);
            for (int j = 0; j < 32 && g * 32 + j < tokens; j++) Assert.Equal(group[j] * norms[g * 32 + j], page[g * 32 + j]);
        }

        for (int t = tokens; t < page.Length; t++) Assert.True(float.IsNaN(page[t]), $"score {t} past the last token was written");
    }

    // 256 blocks of 255 reach the largest sum, 65 280: the 16-bit word sums wrap many times on the way and must still
    // come out exact.
    [Theory]
    [InlineData(20, false)]
    [InlineData(QuantizedScoreTable.MaxBlocks, true)]
    public void EveryFastScanWidthAgreesWithTheScalarPath(int blocks, bool saturated)
    {
        var random = new Random(8);
        var group = new byte[blocks * 16];
        var table = new byte[blocks * 16];
        random.NextBytes(group);
        random.NextBytes(table);
        if (saturated) Array.Fill(table, (byte)255);
        var scalar = new float[32];
        FastScanKernel.ScoreGroup(group, table, blocks, -1.5f, 0.02f, scalar, forceScalar: true);
        if (saturated) Assert.All(scalar, s => Assert.Equal(-1.5f + 0.02f * 255 * blocks, s));
        var simd = new float[32];
        if (FastScanWidth512.IsSupported)
        {
            FastScanKernel.Simd<FastScanWidth512, Vector512<byte>, Vector512<ushort>>(group, table, blocks, -1.5f, 0.02f, simd);
            Assert.Equal(scalar, simd);
        }

        if (FastScanWidth256.IsSupported)
        {
            FastScanKernel.Simd<FastScanWidth256, Vector256<byte>, Vector256<ushort>>(group, table, blocks, -1.5f, 0.02f, simd);
            Assert.Equal(scalar, simd);
        }

        if (FastScanWidth128.IsSupported)
        {
            FastScanKernel.Simd<FastScanWidth128, Vector128<byte>, Vector128<ushort>>(group, table, blocks, -1.5f, 0.02f, simd);
            Assert.Equal(scalar, simd);
        }
    }

    [Theory]
    [InlineData(CodeLayout.Bytes, 64)]
    [InlineData(CodeLayout.Bytes, 32)]
    [InlineData(CodeLayout.Bytes, 4)]
    [InlineData(CodeLayout.Nibbles, 16)]
    public void ExactGatherAndScalarPathsAgreeExactly(CodeLayout layout, int n)
    {
        var random = new Random(6);
        const int blocks = 16;
        var group = new byte[blocks * 32];
        if (layout == CodeLayout.Nibbles) random.NextBytes(group);
        else for (int i = 0; i < group.Length; i++) group[i] = (byte)random.Next(n);
        float[] lut = TestCodecs.Gaussian(1, blocks * n, 7);
        var gather = new float[32];
        var scalar = new float[32];
        ExactScanKernel.ScoreGroup(layout, group, blocks, n, lut, gather);
        ExactScanKernel.ScoreGroup(layout, group, blocks, n, lut, scalar, forceScalar: true);
        Assert.Equal(scalar, gather);

        float direct = 0f;
        for (int i = 0; i < blocks; i++)
            direct += layout == CodeLayout.Nibbles ? lut[i * n + (group[i * 16 + 5] >> 4)] : lut[i * n + group[i * 32 + 21]];
        Assert.Equal(direct, scalar[21]);
    }

    [Fact]
    public void FastScanIsRejectedForCodebooksAboveSixtyFour()
    {
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.Wide, TestCodecs.Wide, 4, seed: 1);
        Assert.False(cache.SupportsFastScan);
        Assert.Equal(ScoreKernel.ExactTable, cache.KeyScoreKernel);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.KeyScoreKernel = ScoreKernel.FastScan);
    }

    internal static QuantizedScoreTable QuantizedTable(FibQuantizer codec, ReadOnlySpan<float> query)
    {
        var rotated = new float[codec.Dimension];
        codec.Rotate(query, rotated);
        int blocks = codec.Dimension / codec.BlockSize;
        var lut = new float[blocks * codec.Codewords];
        codec.BuildScoreTable(rotated, lut);
        var table = new QuantizedScoreTable((blocks + 3) & ~3);
        table.Quantize(lut);
        return table;
    }
}
