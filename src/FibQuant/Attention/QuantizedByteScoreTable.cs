using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// The 8-bit score table of <see cref="ByteFastScanKernel"/> (N ≤ 64, N ≠ 16): the same quantisation as
/// <see cref="QuantizedScoreTable"/> — each block's row shifted by its minimum m_i and scaled by one per-query factor
/// a = 255 / max_i (max_n LUT_i[n] − m_i), q_i[n] = round(a·(LUT_i[n] − m_i)) — with rows of 64 bytes, one register,
/// so that a byte permute (vpermi2b) looks up two blocks at once. The error of a unit-norm score is at most
/// <see cref="MaxAbsoluteError"/> = B / (2a), and the integer sums are exact (at most 255·B ≤ 65535 for B ≤ 256).
/// </summary>
public sealed class QuantizedByteScoreTable
{
    /// <summary>Bytes per row: one register of table entries.</summary>
    public const int RowBytes = 64;

    /// <summary>Largest block count whose 16-bit sums cannot overflow.</summary>
    public const int MaxBlocks = QuantizedScoreTable.MaxBlocks;

    private readonly byte[] _table;

    /// <summary>Creates an empty table for <paramref name="blocks"/> blocks of <paramref name="codewords"/> entries.</summary>
    public QuantizedByteScoreTable(int blocks, int codewords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks, MaxBlocks);
        ArgumentOutOfRangeException.ThrowIfLessThan(codewords, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codewords, RowBytes);
        Blocks = blocks;
        Codewords = codewords;
        // An even number of rows: the kernel looks up blocks in pairs, and the pad row (zero) adds nothing.
        _table = new byte[(blocks + 1) / 2 * 2 * RowBytes];
    }

    /// <summary>Blocks B.</summary>
    public int Blocks { get; }

    /// <summary>Codebook size N.</summary>
    public int Codewords { get; }

    /// <summary>The quantised rows, 64 bytes per block (entries n ≥ N and a pad row for odd B are zero).</summary>
    public ReadOnlySpan<byte> Table => _table;

    /// <summary>bias = Σ_i min_n LUT_i[n].</summary>
    public float Bias { get; private set; }

    /// <summary>1 / a: converts an integer sum back to score units.</summary>
    public float InverseScale { get; private set; }

    /// <summary>B / (2a): the largest possible error of a unit-norm score from the 8-bit rounding.</summary>
    public float MaxAbsoluteError { get; private set; }

    /// <summary>Quantises <paramref name="lut"/> (B·N floats, block-major) into <see cref="Table"/>.</summary>
    public void Quantize(ReadOnlySpan<float> lut)
    {
        int n = Codewords;
        if (lut.Length != Blocks * n) throw new ArgumentException($"lut must hold B·N = {Blocks * n} floats, got {lut.Length}.", nameof(lut));
        // Built once per query: B·N entries (4 096 at d = 128, N = 64), a fixed cost that short contexts feel, so rows of
        // 16 or more entries go 16 lanes at a time. Min, max, subtract, multiply and round-to-even are exact IEEE
        // operations, so both paths give the same bytes.
        Span<float> minima = stackalloc float[Blocks];
        double bias = 0;
        float maxRange = 0f;
        for (int i = 0; i < Blocks; i++)
        {
            ReadOnlySpan<float> row = lut.Slice(i * n, n);
            float min = TensorPrimitives.Min(row), max = TensorPrimitives.Max(row);
            minima[i] = min;
            bias += min;
            maxRange = MathF.Max(maxRange, max - min);
        }

        float scale = maxRange > 0f ? 255f / maxRange : 1f;
        for (int i = 0; i < Blocks; i++)
        {
            ReadOnlySpan<float> row = lut.Slice(i * n, n);
            Span<byte> target = _table.AsSpan(i * RowBytes, n);
            int c = 0;
            if (Avx512F.IsSupported)
            {
                Vector512<float> min = Vector512.Create(minima[i]), factor = Vector512.Create(scale), top = Vector512.Create(255f);
                for (; c + 16 <= n; c += 16)
                {
                    Vector512<float> q = Vector512.Round((Vector512.Create(row.Slice(c, 16)) - min) * factor);
                    Vector512<int> whole = Vector512.ConvertToInt32(Vector512.Min(Vector512.Max(q, Vector512<float>.Zero), top));
                    Avx512F.ConvertToVector128Byte(whole).CopyTo(target.Slice(c, 16));
                }
            }

            for (; c < n; c++) target[c] = (byte)Math.Clamp(MathF.Round((row[c] - minima[i]) * scale), 0f, 255f);
        }

        Bias = (float)bias;
        InverseScale = 1f / scale;
        MaxAbsoluteError = Blocks * 0.5f / scale;
    }
}
