using System;
using System.Runtime.Intrinsics.X86;
using FibQuant.Attention;
using Xunit;

namespace FibQuant.Tests.Attention;

/// <summary>
/// <see cref="NibbleValueKernel"/> against a plain double-precision sum Σ_t w_t C[idx_{t,i}]_c over 4-bit codes laid out
/// as <see cref="CodeLayout.Nibbles"/>: odd k, padded blocks, a partial last group, and heads in passes of four plus a
/// remainder (each head's result must not depend on which pass it ran in).
/// </summary>
public sealed class NibbleValueKernelTests
{
    [Theory]
    [InlineData(10, 3, 6, 256)]
    [InlineData(16, 4, 4, 200)]
    [InlineData(64, 2, 1, 37)]
    [InlineData(8, 1, 5, 96)]
    public void AccumulatedPageEqualsThePlainWeightedSum(int blocks, int k, int heads, int tokens)
    {
        if (!NibbleValueKernel.Supports(CodeLayout.Nibbles)) return;
        var random = new Random(blocks * 131 + k);
        int stored = (blocks + 3) & ~3, groupBytes = stored * 16, groups = (tokens + 31) / 32;
        var codewords = new float[16 * k];
        for (int i = 0; i < codewords.Length; i++) codewords[i] = (float)(random.NextDouble() * 2 - 1);
        var indices = new int[tokens, blocks];
        var codes = new byte[8 * groupBytes];
        random.NextBytes(codes);
        for (int t = 0; t < tokens; t++)
            for (int i = 0; i < blocks; i++)
            {
                int idx = random.Next(16);
                indices[t, i] = idx;
                ref byte b = ref codes[t / 32 * groupBytes + i * 16 + t % 16];
                b = t % 32 < 16 ? (byte)((b & 0xF0) | idx) : (byte)((b & 0x0F) | (idx << 4));
            }

        var weights = new float[heads, 256];
        var arranged = new float[heads * 256];
        var ones = new float[256];
        Array.Fill(ones, 1f);
        for (int h = 0; h < heads; h++)
        {
            var row = new float[groups * 32];
            for (int t = 0; t < tokens; t++) row[t] = weights[h, t] = (float)random.NextDouble();
            float sum = NibbleValueKernel.ArrangeWeights(row, ones, arranged.AsSpan(h * 256, groups * 32));
            Assert.True(Math.Abs(Sum(row) - sum) <= 1e-5f * Sum(row), $"weight sum {sum} vs {Sum(row)}");
        }

        float[] tables = NibbleValueKernel.BuildTables(codewords, k);
        int perHead = NibbleValueKernel.AccumulatorsPerHead(stored, k);
        var accumulators = new float[heads * perHead];
        NibbleValueKernel.AccumulatePage(codes, groups, groupBytes, stored, tables, k, arranged, 256, heads, accumulators);
        var rotated = new float[blocks * k];
        var alone = new float[perHead];
        for (int h = 0; h < heads; h++)
        {
            NibbleValueKernel.Reduce(accumulators.AsSpan(h * perHead, perHead), k, rotated);
            for (int i = 0; i < blocks; i++)
                for (int c = 0; c < k; c++)
                {
                    double expected = 0, magnitude = 0;
                    for (int t = 0; t < tokens; t++)
                    {
                        expected += weights[h, t] * (double)codewords[indices[t, i] * k + c];
                        magnitude += Math.Abs(weights[h, t] * (double)codewords[indices[t, i] * k + c]);
                    }

                    Assert.True(Math.Abs(rotated[i * k + c] - expected) <= 1e-6 * magnitude + 1e-7,
                        $"head {h}, block {i}, coordinate {c}: {rotated[i * k + c]} vs {expected}");
                }

            // The same head alone (a one-head pass) gives the same bits as inside a pass of four.
            Array.Clear(alone);
            NibbleValueKernel.AccumulatePage(codes, groups, groupBytes, stored, tables, k, arranged.AsSpan(h * 256, 256), 256, 1, alone);
            Assert.Equal(accumulators.AsSpan(h * perHead, perHead).ToArray(), alone);
        }
    }

    [Fact]
    public void ArrangedWeightsFollowTheLaneOrderOfTheShiftedCodes()
    {
        if (!Avx512F.IsSupported) return;
        var weights = new float[64];
        var scale = new float[64];
        for (int t = 0; t < 64; t++)
        {
            weights[t] = t;
            scale[t] = 2f;
        }

        var arranged = new float[64];
        NibbleValueKernel.ArrangeWeights(weights, scale, arranged);
        // arranged[32g + 16h + 4s + m] = 2 · weight of token 32g + 16h + 4m + s.
        for (int g = 0; g < 2; g++)
            for (int h = 0; h < 2; h++)
                for (int s = 0; s < 4; s++)
                    for (int m = 0; m < 4; m++)
                        Assert.Equal(2f * (32 * g + 16 * h + 4 * m + s), arranged[32 * g + 16 * h + 4 * s + m]);
    }

    private static float Sum(float[] values)
    {
        float sum = 0f;
        foreach (float v in values) sum += v;
        return sum;
    }
}
