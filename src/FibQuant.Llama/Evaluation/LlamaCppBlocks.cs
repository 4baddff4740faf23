using System;
using System.Buffers.Binary;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// llama.cpp's q8_0 and q4_0 block formats, as ggml's reference quantizers (<c>quantize_row_q8_0_ref</c>,
/// <c>quantize_row_q4_0_ref</c>) write them: blocks of 32 values, each an fp16 scale d followed by the quants.
/// q8_0: d = amax/127, q = round(x/d) (half away from zero), 34 bytes = 8.5 bits per value.
/// q4_0: d = m/−8 with m the value of largest magnitude (sign kept), q = min(15, trunc(x/d + 8.5)) packed two per byte
/// (value j in the low nibble of byte j, value j+16 in its high nibble), 18 bytes = 4.5 bits per value.
/// Dequantization multiplies by the stored fp16 scale: x̂ = q·d (q8_0), (q − 8)·d (q4_0).
/// </summary>
public static class LlamaCppBlocks
{
    /// <summary>Values per block.</summary>
    public const int BlockValues = 32;

    /// <summary>Bytes of one q8_0 block.</summary>
    public const int Q8_0Bytes = 2 + BlockValues;

    /// <summary>Bytes of one q4_0 block.</summary>
    public const int Q4_0Bytes = 2 + BlockValues / 2;

    /// <summary>Quantizes 32 values into one q8_0 block.</summary>
    public static void QuantizeQ8_0(ReadOnlySpan<float> values, Span<byte> block)
    {
        Check(values, block, Q8_0Bytes);
        float amax = 0;
        for (int j = 0; j < BlockValues; j++) amax = MathF.Max(amax, MathF.Abs(values[j]));
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        for (int j = 0; j < BlockValues; j++) block[2 + j] = (byte)(sbyte)MathF.Round(values[j] * id, MidpointRounding.AwayFromZero);
    }

    /// <summary>Dequantizes one q8_0 block into 32 values.</summary>
    public static void DequantizeQ8_0(ReadOnlySpan<byte> block, Span<float> values)
    {
        Check(values, block, Q8_0Bytes);
        float d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
        for (int j = 0; j < BlockValues; j++) values[j] = (sbyte)block[2 + j] * d;
    }

    /// <summary>Quantizes 32 values into one q4_0 block.</summary>
    public static void QuantizeQ4_0(ReadOnlySpan<float> values, Span<byte> block)
    {
        Check(values, block, Q4_0Bytes);
        float amax = 0, max = 0;
        for (int j = 0; j < BlockValues; j++)
        {
            if (amax < MathF.Abs(values[j]))
            {
                amax = MathF.Abs(values[j]);
                max = values[j];
            }
        }

        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        const int half = BlockValues / 2;
        for (int j = 0; j < half; j++)
        {
            // (int8_t)(x + 8.5f) truncates toward zero, as in ggml.
            int low = Math.Min(15, (int)(sbyte)(values[j] * id + 8.5f));
            int high = Math.Min(15, (int)(sbyte)(values[half + j] * id + 8.5f));
            block[2 + j] = (byte)(low | (high << 4));
        }
    }

    /// <summary>Dequantizes one q4_0 block into 32 values.</summary>
    public static void DequantizeQ4_0(ReadOnlySpan<byte> block, Span<float> values)
    {
        Check(values, block, Q4_0Bytes);
        float d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
        const int half = BlockValues / 2;
        for (int j = 0; j < half; j++)
        {
            values[j] = ((block[2 + j] & 0x0F) - 8) * d;
            values[half + j] = ((block[2 + j] >> 4) - 8) * d;
        }
    }

    private static void Check(ReadOnlySpan<float> values, ReadOnlySpan<byte> block, int blockBytes)
    {
        if (values.Length != BlockValues)
            throw new ArgumentException($"A block holds exactly {BlockValues} values, got {values.Length}.", nameof(values));
        if (block.Length != blockBytes)
            throw new ArgumentException($"The block must be {blockBytes} bytes, got {block.Length}.", nameof(block));
    }
}
