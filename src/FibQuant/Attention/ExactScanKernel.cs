using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// Exact-table scoring of one group of 32 tokens: scores[j] = Σ_i LUT[i·N + code_{j,i}] in fp32, blocks summed in order
/// i = 0, 1, … for every token (so the AVX-512 permute, AVX2 gather and scalar paths return identical sums).
/// Works for every <see cref="CodeLayout"/>; this is the kernel for N ≠ 16 and the exact alternative for N = 16.
/// Codes must be below N: the scalar paths throw on a larger one, the gather path reads it as N − 1 (it never reads
/// outside the table).
/// </summary>
public static class ExactScanKernel
{
    /// <summary>Scores one group; <paramref name="lut"/> holds B·N floats block-major.</summary>
    /// <param name="layout">How <paramref name="group"/> is laid out.</param>
    /// <param name="group">The group's codes.</param>
    /// <param name="blocks">Blocks B = d/k.</param>
    /// <param name="codewords">Codebook size N.</param>
    /// <param name="lut">The float score table.</param>
    /// <param name="scores">32 outputs.</param>
    /// <param name="forceScalar">Use the portable scalar path.</param>
    public static void ScoreGroup(CodeLayout layout, ReadOnlySpan<byte> group, int blocks, int codewords, ReadOnlySpan<float> lut,
        Span<float> scores, bool forceScalar = false)
    {
        if (lut.Length < blocks * codewords) throw new ArgumentException("lut is shorter than B·N.", nameof(lut));
        if (scores.Length < 32) throw new ArgumentException("scores needs 32 entries.", nameof(scores));
        switch (layout)
        {
            case CodeLayout.Nibbles:
                if (codewords != 16) throw new ArgumentOutOfRangeException(nameof(codewords), codewords, "Nibbles layout needs N = 16.");
                if (!forceScalar && Avx512F.IsSupported) Permute(group, nibbles: true, blocks, codewords, lut, scores);
                else if (!forceScalar && Avx2.IsSupported) NibblesGather(group, blocks, lut, scores);
                else Nibbles(group, blocks, lut, scores);
                break;
            case CodeLayout.Bytes:
                if (!forceScalar && Avx512F.IsSupported && codewords is 16 or 32 or 64) Permute(group, nibbles: false, blocks, codewords, lut, scores);
                else if (!forceScalar && Avx2.IsSupported) BytesGather(group, blocks, codewords, lut, scores);
                else BytesScalar(group, blocks, codewords, lut, scores);
                break;
            default:
                Wide(MemoryMarshal.Cast<byte, ushort>(group), blocks, codewords, lut, scores);
                break;
        }
    }

    private static void Nibbles(ReadOnlySpan<byte> group, int blocks, ReadOnlySpan<float> lut, Span<float> scores)
    {
        scores.Slice(0, 32).Clear();
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> codes = group.Slice(i * 16, 16);
            ReadOnlySpan<float> row = lut.Slice(i * 16, 16);
            for (int j = 0; j < 16; j++)
            {
                int b = codes[j];
                scores[j] += row[b & 0xF];
                scores[j + 16] += row[b >> 4];
            }
        }
    }

    private static unsafe void NibblesGather(ReadOnlySpan<byte> group, int blocks, ReadOnlySpan<float> lut, Span<float> scores)
    {
        if (group.Length < blocks * 16) throw new ArgumentException("group is shorter than B·16 bytes.", nameof(group));
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref byte codes = ref MemoryMarshal.GetReference(group);
        Vector128<byte> mask = Vector128.Create((byte)0x0F);
        fixed (float* table = lut)
        {
            for (int i = 0; i < blocks; i++)
            {
                Vector128<byte> c = Vector128.LoadUnsafe(ref codes, (nuint)(i * 16));
                Vector256<ushort> lo = Vector256.WidenLower((c & mask).ToVector256Unsafe());
                Vector256<ushort> hi = Vector256.WidenLower(((c.AsUInt16() >>> 4).AsByte() & mask).ToVector256Unsafe());
                float* row = table + i * 16;
                s0 += Avx2.GatherVector256(row, Vector256.WidenLower(lo).AsInt32(), 4);
                s1 += Avx2.GatherVector256(row, Vector256.WidenUpper(lo).AsInt32(), 4);
                s2 += Avx2.GatherVector256(row, Vector256.WidenLower(hi).AsInt32(), 4);
                s3 += Avx2.GatherVector256(row, Vector256.WidenUpper(hi).AsInt32(), 4);
            }
        }

        ref float o = ref MemoryMarshal.GetReference(scores);
        s0.StoreUnsafe(ref o, 0);
        s1.StoreUnsafe(ref o, 8);
        s2.StoreUnsafe(ref o, 16);
        s3.StoreUnsafe(ref o, 24);
    }

    // N ∈ {16, 32, 64}: a block's table row fits one to four registers and is indexed with lane permutes
    // (ValuePermuteKernel.Lookup) instead of gathers; rows shorter than 16 floats would need loads past the table.
    private static void Permute(ReadOnlySpan<byte> group, bool nibbles, int blocks, int codewords, ReadOnlySpan<float> lut, Span<float> scores)
    {
        int stride = nibbles ? 16 : PagedCodes.GroupTokens;
        if (group.Length < blocks * stride) throw new ArgumentException($"group is shorter than B·{stride} bytes.", nameof(group));
        ref byte codes = ref MemoryMarshal.GetReference(group);
        ref float table = ref MemoryMarshal.GetReference(lut);
        Vector512<float> s0 = default, s1 = default;
        for (int i = 0; i < blocks; i++)
        {
            ref float row = ref Unsafe.Add(ref table, i * codewords);
            Vector512<float> t0 = Vector512.LoadUnsafe(ref row), t1 = default, t2 = default, t3 = default;
            if (codewords >= 32) t1 = Vector512.LoadUnsafe(ref row, 16);
            if (codewords == 64)
            {
                t2 = Vector512.LoadUnsafe(ref row, 32);
                t3 = Vector512.LoadUnsafe(ref row, 48);
            }

            ValuePermuteKernel.Indices(ref Unsafe.Add(ref codes, i * stride), nibbles, out Vector512<int> low, out Vector512<int> high);
            s0 += ValuePermuteKernel.Lookup(low, codewords, t0, t1, t2, t3);
            s1 += ValuePermuteKernel.Lookup(high, codewords, t0, t1, t2, t3);
        }

        ref float o = ref MemoryMarshal.GetReference(scores);
        s0.StoreUnsafe(ref o, 0);
        s1.StoreUnsafe(ref o, 16);
    }

    private static void BytesScalar(ReadOnlySpan<byte> group, int blocks, int codewords, ReadOnlySpan<float> lut, Span<float> scores)
    {
        scores.Slice(0, 32).Clear();
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> codes = group.Slice(i * 32, 32);
            ReadOnlySpan<float> row = lut.Slice(i * codewords, codewords);
            for (int j = 0; j < 32; j++) scores[j] += row[codes[j]];
        }
    }

    private static unsafe void BytesGather(ReadOnlySpan<byte> group, int blocks, int codewords, ReadOnlySpan<float> lut, Span<float> scores)
    {
        if (group.Length < blocks * 32) throw new ArgumentException("group is shorter than B·32 bytes.", nameof(group));
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref byte codes = ref MemoryMarshal.GetReference(group);
        // Codes are < N by construction; clamping keeps a corrupt code from reading outside the table.
        Vector256<byte> last = Vector256.Create((byte)Math.Min(codewords - 1, 255));
        fixed (float* table = lut)
        {
            for (int i = 0; i < blocks; i++)
            {
                Vector256<byte> c = Vector256.Min(Vector256.LoadUnsafe(ref codes, (nuint)(i * 32)), last);
                Vector256<ushort> w0 = Vector256.WidenLower(c), w1 = Vector256.WidenUpper(c);
                float* row = table + i * codewords;
                s0 += Avx2.GatherVector256(row, Vector256.WidenLower(w0).AsInt32(), 4);
                s1 += Avx2.GatherVector256(row, Vector256.WidenUpper(w0).AsInt32(), 4);
                s2 += Avx2.GatherVector256(row, Vector256.WidenLower(w1).AsInt32(), 4);
                s3 += Avx2.GatherVector256(row, Vector256.WidenUpper(w1).AsInt32(), 4);
            }
        }

        ref float o = ref MemoryMarshal.GetReference(scores);
        s0.StoreUnsafe(ref o, 0);
        s1.StoreUnsafe(ref o, 8);
        s2.StoreUnsafe(ref o, 16);
        s3.StoreUnsafe(ref o, 24);
    }

    private static void Wide(ReadOnlySpan<ushort> group, int blocks, int codewords, ReadOnlySpan<float> lut, Span<float> scores)
    {
        scores.Slice(0, 32).Clear();
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<ushort> codes = group.Slice(i * 32, 32);
            ReadOnlySpan<float> row = lut.Slice(i * codewords, codewords);
            for (int j = 0; j < 32; j++) scores[j] += row[codes[j]];
        }
    }
}
