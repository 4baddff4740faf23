using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// <remarks>
    /// A row of 16 floats is four Vector128 values on every instruction set (software where there is none), so every path
    /// computes the same minima, the same round-half-to-even and the same bytes; it runs once per query and head, a fixed
    /// cost that the scalar loops made about half of a short context's scoring time.
    /// </remarks>
    public void Quantize(ReadOnlySpan<float> lut)
    {
        if (lut.Length % 16 != 0 || lut.Length / 16 > _table.Length / 16)
            throw new ArgumentException($"lut must hold B·16 floats with B ≤ {_table.Length / 16}, got {lut.Length}.", nameof(lut));
        int blocks = lut.Length / 16;
        Span<float> minima = stackalloc float[MaxBlocks];
        ref float row = ref MemoryMarshal.GetReference(lut);
        double bias = 0;
        float maxRange = 0f;
        for (int i = 0; i < blocks; i++)
        {
            ref float r = ref Unsafe.Add(ref row, i * 16);
            Vector128<float> v0 = Vector128.LoadUnsafe(ref r), v1 = Vector128.LoadUnsafe(ref r, 4);
            Vector128<float> v2 = Vector128.LoadUnsafe(ref r, 8), v3 = Vector128.LoadUnsafe(ref r, 12);
            Vector128<float> low = Vector128.Min(Vector128.Min(v0, v1), Vector128.Min(v2, v3));
            Vector128<float> high = Vector128.Max(Vector128.Max(v0, v1), Vector128.Max(v2, v3));
            float min = MathF.Min(MathF.Min(low[0], low[1]), MathF.Min(low[2], low[3]));
            float max = MathF.Max(MathF.Max(high[0], high[1]), MathF.Max(high[2], high[3]));
            minima[i] = min;
            bias += min;
            maxRange = MathF.Max(maxRange, max - min);
        }

        float scale = maxRange > 0f ? 255f / maxRange : 1f;
        Array.Clear(_table);
        ref byte target = ref MemoryMarshal.GetArrayDataReference(_table);
        Vector128<float> factor = Vector128.Create(scale), top = Vector128.Create(255f);
        for (int i = 0; i < blocks; i++)
        {
            ref float r = ref Unsafe.Add(ref row, i * 16);
            Vector128<float> min = Vector128.Create(minima[i]);
            Vector128<uint> q0 = Level(Vector128.LoadUnsafe(ref r), min, factor, top), q1 = Level(Vector128.LoadUnsafe(ref r, 4), min, factor, top);
            Vector128<uint> q2 = Level(Vector128.LoadUnsafe(ref r, 8), min, factor, top), q3 = Level(Vector128.LoadUnsafe(ref r, 12), min, factor, top);
            // Every level is in [0, 255], so narrowing keeps it exactly.
            Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).StoreUnsafe(ref target, (nuint)(i * 16));
        }

        Bias = (float)bias;
        InverseScale = 1f / scale;
        MaxAbsoluteError = blocks * 0.5f / scale;
    }

    // round((x − min) · scale) clamped to [0, 255], ties to even as MathF.Round.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Level(Vector128<float> x, Vector128<float> min, Vector128<float> scale, Vector128<float> top) =>
        Vector128.ConvertToUInt32(Vector128.Min(Vector128.Max(Vector128.Round((x - min) * scale), Vector128<float>.Zero), top));
}
