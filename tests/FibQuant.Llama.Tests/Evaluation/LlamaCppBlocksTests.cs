using System;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

/// <summary>q8_0 / q4_0 against blocks computed by hand from ggml's reference quantizers.</summary>
public sealed class LlamaCppBlocksTests
{
    [Fact]
    public void Q8_0BlockMatchesTheHandComputedOne()
    {
        var x = new float[32];
        (x[0], x[1], x[2], x[3], x[4], x[5]) = (127f, -2.5f, 2.5f, 0.49f, -127f, 1.5f);   // amax 127 → d = 1
        var block = new byte[LlamaCppBlocks.Q8_0Bytes];
        LlamaCppBlocks.QuantizeQ8_0(x, block);
        var expected = new byte[34];
        (expected[0], expected[1]) = (0x00, 0x3C);                                          // fp16 1.0
        (expected[2], expected[3], expected[4], expected[5], expected[6], expected[7]) = (0x7F, 0xFD, 0x03, 0x00, 0x81, 0x02);   // 127, −3, 3, 0, −127, 2
        Assert.Equal(expected, block);
        var y = new float[32];
        LlamaCppBlocks.DequantizeQ8_0(block, y);
        Assert.Equal(new float[] { 127, -3, 3, 0, -127, 2 }, y[..6]);
        Assert.All(y[6..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Q4_0BlockMatchesTheHandComputedOne()
    {
        var x = new float[32];
        (x[0], x[1], x[2], x[3], x[16], x[17]) = (-8f, 7f, 3.4f, -0.6f, 2.5f, 7.9f);        // max −8 → d = −8/−8 = 1
        var block = new byte[LlamaCppBlocks.Q4_0Bytes];
        LlamaCppBlocks.QuantizeQ4_0(x, block);
        // q = min(15, trunc(x + 8.5)): 0, 15, 11, 7 | 11, 15 (16.4 clamped); zeros give 8. Byte j = q[j] | q[j+16] << 4.
        var expected = new byte[18];
        (expected[0], expected[1]) = (0x00, 0x3C);
        (expected[2], expected[3], expected[4], expected[5]) = (0xB0, 0xFF, 0x8B, 0x87);
        for (int j = 4; j < 16; j++) expected[2 + j] = 0x88;
        Assert.Equal(expected, block);
        var y = new float[32];
        LlamaCppBlocks.DequantizeQ4_0(block, y);
        Assert.Equal(new float[] { -8, 7, 3, -1 }, y[..4]);
        Assert.Equal(new float[] { 3, 7 }, y[16..18]);
        Assert.Equal(0f, y[5]);
    }

    [Fact]
    public void Q4_0KeepsTheSignOfTheLargestValueInTheScale()
    {
        var x = new float[32];
        (x[0], x[1]) = (8f, -7.9f);                                                          // max +8 → d = −1
        var block = new byte[LlamaCppBlocks.Q4_0Bytes];
        LlamaCppBlocks.QuantizeQ4_0(x, block);
        Assert.Equal((byte)0x00, block[0]);
        Assert.Equal((byte)0xBC, block[1]);                                                  // fp16 −1.0
        Assert.Equal((byte)0x80, block[2]);                                                  // q0 = trunc(−8 + 8.5) = 0
        Assert.Equal((byte)0x8F, block[3]);                                                  // q1 = min(15, trunc(16.4)) = 15
        var y = new float[32];
        LlamaCppBlocks.DequantizeQ4_0(block, y);
        Assert.Equal(8f, y[0]);
        Assert.Equal(-7f, y[1]);
    }

    [Fact]
    public void ZeroBlocksAndBadLengthsAreHandled()
    {
        var block = new byte[LlamaCppBlocks.Q8_0Bytes];
        LlamaCppBlocks.QuantizeQ8_0(new float[32], block);
        Assert.All(block, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentException>(() => LlamaCppBlocks.QuantizeQ8_0(new float[31], block));
        Assert.Throws<ArgumentException>(() => LlamaCppBlocks.QuantizeQ4_0(new float[32], block));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LlamaCppRoundTrip(48, q4: true, hadamard: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LlamaCppRoundTrip(96, q4: true, hadamard: true));
    }

    [Fact]
    public void HadamardRoundTripRotatesBackAndSpreadsAnOutlier()
    {
        var x = new float[64];
        for (int i = 0; i < 64; i++) x[i] = MathF.Sin(1.7f * i);                              // spread values of magnitude ≤ 1 …
        x[5] = 20f;                                                                          // … and one outlier channel that sets q4_0's scale
        float Error(bool q4, bool hadamard)
        {
            var y = new float[64];
            new LlamaCppRoundTrip(64, q4, hadamard).RoundTrip(x, y);
            float e = 0;
            for (int i = 0; i < 64; i++) e += (x[i] - y[i]) * (x[i] - y[i]);
            return e;
        }

        float norm2 = 0;
        foreach (float v in x) norm2 += v * v;
        Assert.True(Error(false, true) < 1e-4f * norm2, $"q8_0+H error {Error(false, true)} of {norm2}");   // rotated back: q8_0-sized error
        Assert.True(Error(true, true) < Error(true, false), $"q4_0+H {Error(true, true)} vs q4_0 {Error(true, false)}");
    }
}
