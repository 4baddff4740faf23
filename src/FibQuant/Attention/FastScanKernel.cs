using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// FAISS fast-scan style scoring of 4-bit codes (<see cref="CodeLayout.Nibbles"/>): the 8-bit score table of
/// <see cref="QuantizedScoreTable"/> is held in registers and indexed with byte shuffles (vpshufb: AVX-512BW does four
/// blocks per instruction, AVX2 two), partial sums accumulate in 16 bits and are widened once per group of 32 tokens.
/// The scalar path performs the same integer sums, so all paths return identical scores.
/// </summary>
public static class FastScanKernel
{
    /// <summary>Whether a SIMD path (AVX-512BW or AVX2) is used on this machine.</summary>
    public static bool IsAccelerated => Avx512BW.IsSupported || Avx2.IsSupported;

    /// <summary>
    /// Scores one group of 32 tokens: <paramref name="scores"/>[j] = bias + invScale · Σ_i table[i·16 + code_{j,i}].
    /// </summary>
    /// <param name="group">The group's codes, 16 bytes per stored block.</param>
    /// <param name="table">The quantised table, 16 bytes per stored block.</param>
    /// <param name="storedBlocks">Stored blocks (a multiple of 4, at most <see cref="QuantizedScoreTable.MaxBlocks"/>).</param>
    /// <param name="bias">Added to every score.</param>
    /// <param name="invScale">Multiplies the integer sums.</param>
    /// <param name="scores">32 outputs.</param>
    /// <param name="forceScalar">Use the portable scalar path (for tests and machines without the instructions).</param>
    public static void ScoreGroup(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int storedBlocks, float bias, float invScale,
        Span<float> scores, bool forceScalar = false)
    {
        if (storedBlocks % 4 != 0 || storedBlocks > QuantizedScoreTable.MaxBlocks || storedBlocks < 4)
            throw new ArgumentOutOfRangeException(nameof(storedBlocks), storedBlocks, "storedBlocks must be a multiple of 4 in [4, 256].");
        if (group.Length < storedBlocks * 16) throw new ArgumentException("group is shorter than storedBlocks·16 bytes.", nameof(group));
        if (table.Length < storedBlocks * 16) throw new ArgumentException("table is shorter than storedBlocks·16 bytes.", nameof(table));
        if (scores.Length < 32) throw new ArgumentException("scores needs 32 entries.", nameof(scores));

        if (!forceScalar && Avx512BW.IsSupported) Avx512(group, table, storedBlocks, bias, invScale, scores);
        else if (!forceScalar && Avx2.IsSupported) Avx256(group, table, storedBlocks, bias, invScale, scores);
        else Scalar(group, table, storedBlocks, bias, invScale, scores);
    }

    private static void Scalar(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int storedBlocks, float bias, float invScale, Span<float> scores)
    {
        Span<int> sums = stackalloc int[32];
        for (int i = 0; i < storedBlocks; i++)
        {
            ReadOnlySpan<byte> codes = group.Slice(i * 16, 16);
            ReadOnlySpan<byte> row = table.Slice(i * 16, 16);
            for (int j = 0; j < 16; j++)
            {
                int b = codes[j];
                sums[j] += row[b & 0xF];
                sums[j + 16] += row[b >> 4];
            }
        }

        for (int j = 0; j < 32; j++) scores[j] = bias + invScale * sums[j];
    }

    private static void Avx256(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int storedBlocks, float bias, float invScale, Span<float> scores)
    {
        ref byte codes = ref MemoryMarshal.GetReference(group);
        ref byte lut = ref MemoryMarshal.GetReference(table);
        Vector256<byte> mask = Vector256.Create((byte)0x0F);
        Vector256<ushort> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < storedBlocks; i += 2)
        {
            Vector256<byte> c = Vector256.LoadUnsafe(ref codes, (nuint)(i * 16));
            Vector256<byte> l = Vector256.LoadUnsafe(ref lut, (nuint)(i * 16));
            Vector256<byte> rlo = Avx2.Shuffle(l, c & mask);
            Vector256<byte> rhi = Avx2.Shuffle(l, (c.AsUInt16() >>> 4).AsByte() & mask);
            a0 += Avx2.UnpackLow(rlo, Vector256<byte>.Zero).AsUInt16();
            a1 += Avx2.UnpackHigh(rlo, Vector256<byte>.Zero).AsUInt16();
            a2 += Avx2.UnpackLow(rhi, Vector256<byte>.Zero).AsUInt16();
            a3 += Avx2.UnpackHigh(rhi, Vector256<byte>.Zero).AsUInt16();
        }

        Finish(a0.GetLower() + a0.GetUpper(), bias, invScale, scores, 0);
        Finish(a1.GetLower() + a1.GetUpper(), bias, invScale, scores, 8);
        Finish(a2.GetLower() + a2.GetUpper(), bias, invScale, scores, 16);
        Finish(a3.GetLower() + a3.GetUpper(), bias, invScale, scores, 24);
    }

    private static void Avx512(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int storedBlocks, float bias, float invScale, Span<float> scores)
    {
        ref byte codes = ref MemoryMarshal.GetReference(group);
        ref byte lut = ref MemoryMarshal.GetReference(table);
        Vector512<byte> mask = Vector512.Create((byte)0x0F);
        Vector512<ushort> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < storedBlocks; i += 4)
        {
            Vector512<byte> c = Vector512.LoadUnsafe(ref codes, (nuint)(i * 16));
            Vector512<byte> l = Vector512.LoadUnsafe(ref lut, (nuint)(i * 16));
            Vector512<byte> rlo = Avx512BW.Shuffle(l, c & mask);
            Vector512<byte> rhi = Avx512BW.Shuffle(l, (c.AsUInt16() >>> 4).AsByte() & mask);
            a0 += Avx512BW.UnpackLow(rlo, Vector512<byte>.Zero).AsUInt16();
            a1 += Avx512BW.UnpackHigh(rlo, Vector512<byte>.Zero).AsUInt16();
            a2 += Avx512BW.UnpackLow(rhi, Vector512<byte>.Zero).AsUInt16();
            a3 += Avx512BW.UnpackHigh(rhi, Vector512<byte>.Zero).AsUInt16();
        }

        Finish(Lanes(a0), bias, invScale, scores, 0);
        Finish(Lanes(a1), bias, invScale, scores, 8);
        Finish(Lanes(a2), bias, invScale, scores, 16);
        Finish(Lanes(a3), bias, invScale, scores, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Lanes(Vector512<ushort> a)
    {
        Vector256<ushort> half = a.GetLower() + a.GetUpper();
        return half.GetLower() + half.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector128<ushort> sums, float bias, float invScale, Span<float> scores, int offset)
    {
        Vector256<float> f = Vector256.ConvertToSingle(Vector256.WidenLower(sums.ToVector256Unsafe()).AsInt32());
        Vector256<float> r = Vector256.Create(bias) + f * Vector256.Create(invScale);
        r.StoreUnsafe(ref MemoryMarshal.GetReference(scores), (nuint)offset);
    }
}
