using System;

namespace FibQuant.Attention;

/// <summary>
/// The 8-bit score table of the fast-scan kernel (N = 16). Each block's row LUT_i[0..15] is shifted by its minimum
/// m_i and scaled by one per-query factor a = 255 / max_i (max_n LUT_i[n] − m_i), then rounded:
/// q_i[n] = round(a·(LUT_i[n] − m_i)) ∈ [0, 255]. A token's score is then Σ_i LUT_i[idx_i] ≈ bias + (Σ_i q_i[idx_i]) / a
/// with bias = Σ_i m_i. Rounding moves each term by at most 1/(2a), so the quantisation error of the unit-norm
/// score is at most <see cref="MaxAbsoluteError"/> = B / (2a) (B = d/k blocks); a token's score error is ν_t times that.
/// The integer sums are exact (at most 255·B ≤ 65535 for B ≤ 256), so every kernel gives identical results.
/// </summary>
public sealed class QuantizedScoreTable
{
    /// <summary>Largest block count whose 16-bit sums cannot overflow (255 · 257 = 65535).</summary>
    public const int MaxBlocks = 256;

    private byte[] _table;

    /// <summary>Creates an empty table with room for <paramref name="storedBlocks"/> rows of 16.</summary>
    public QuantizedScoreTable(int storedBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(storedBlocks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(storedBlocks, MaxBlocks);
        _table = new byte[storedBlocks * 16];
    }

    /// <summary>The quantised rows, 16 bytes per stored block (padding rows are zero).</summary>
    public ReadOnlySpan<byte> Table => _table;

    /// <summary>bias = Σ_i min_n LUT_i[n].</summary>
    public float Bias { get; private set; }

    /// <summary>1 / a: converts an integer sum back to score units.</summary>
    public float InverseScale { get; private set; }

    /// <summary>B / (2a): the largest possible error of a unit-norm score from the 8-bit rounding.</summary>
    public float MaxAbsoluteError { get; private set; }

    /// <summary>Quantises <paramref name="lut"/> (B·16 floats, block-major) into <see cref="Table"/>.</summary>
    public void Quantize(ReadOnlySpan<float> lut)
    {
        if (lut.Length % 16 != 0 || lut.Length / 16 > _table.Length / 16)
            throw new ArgumentException($"lut must hold B·16 floats with B ≤ {_table.Length / 16}, got {lut.Length}.", nameof(lut));
        int blocks = lut.Length / 16;
        double bias = 0;
        float maxRange = 0f;
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<float> row = lut.Slice(i * 16, 16);
            float min = row[0], max = row[0];
            for (int n = 1; n < 16; n++)
            {
                min = MathF.Min(min, row[n]);
                max = MathF.Max(max, row[n]);
            }

            bias += min;
            maxRange = MathF.Max(maxRange, max - min);
        }

        float scale = maxRange > 0f ? 255f / maxRange : 1f;
        Array.Clear(_table);
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<float> row = lut.Slice(i * 16, 16);
            float min = row[0];
            for (int n = 1; n < 16; n++) min = MathF.Min(min, row[n]);
            for (int n = 0; n < 16; n++)
                _table[i * 16 + n] = (byte)Math.Clamp(MathF.Round((row[n] - min) * scale), 0f, 255f);
        }

        Bias = (float)bias;
        InverseScale = 1f / scale;
        MaxAbsoluteError = blocks * 0.5f / scale;
    }
}
