using System;
using System.Runtime.Intrinsics;
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
    [InlineData(8, 6, 5, 64)]
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

        // Weights e_t · ν_t with e_t = exp(score_t − max) from the kernel's softmax layout; the plain sum uses the same
        // products (read back from the layout) so that it checks the accumulation alone.
        var weights = new double[heads, 256];
        var arranged = new float[heads * 256];
        var norms = new float[256];
        for (int t = 0; t < 256; t++) norms[t] = 0.5f + (float)random.NextDouble();
        for (int h = 0; h < heads; h++)
        {
            var scores = new float[tokens];
            for (int t = 0; t < tokens; t++) scores[t] = (float)(random.NextDouble() * 6 - 3);
            float max = 3f;
            float sum = NibbleValueKernel.ArrangeWeights(scores, max, norms, arranged.AsSpan(h * 256, groups * 32));
            double expected = 0;
            for (int t = 0; t < tokens; t++) expected += Math.Exp(scores[t] - max);
            Assert.True(Math.Abs(sum - expected) <= 1e-5 * expected, $"numerator sum {sum} vs {expected}");
            for (int t = 0; t < groups * 32; t++)
            {
                int g = t / 32, half = t % 32 / 16, m = t % 16 / 4, s = t % 4;
                float w = arranged[h * 256 + 32 * g + 16 * half + 4 * s + m];
                double e = t < tokens ? Math.Exp(scores[t] - max) * norms[t] : 0;
                Assert.True(Math.Abs(w - e) <= 4e-7 * e, $"head {h}, token {t}: weight {w} vs {e}");
                weights[h, t] = w;
            }
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
    public void VectorExpIsWithinTwoUlpAndZeroBelowTheNormalRange()
    {
        if (!Avx512F.IsSupported) return;
        var x = new float[16];
        for (int i = -8800; i <= 0; i++)
        {
            for (int j = 0; j < 16; j++) x[j] = i / 100f - j / 1700f;
            Vector512<float> e = VectorExp.Exp(Vector512.Create<float>(x));
            for (int j = 0; j < 16; j++)
            {
                double expected = x[j] < VectorExp.Underflow ? 0 : Math.Exp(x[j]);
                double ulp = expected == 0 ? 0 : MathF.BitIncrement((float)expected) - (float)expected;
                Assert.True(Math.Abs(e[j] - expected) <= 2 * ulp, $"exp({x[j]}) = {e[j]}, expected {expected}");
            }
        }
    }
}
