using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// FAISS fast-scan style scoring of 4-bit codes (<see cref="CodeLayout.Nibbles"/>): the 8-bit score table of
/// <see cref="QuantizedScoreTable"/> is held in registers and indexed with byte shuffles (vpshufb: AVX-512BW does four
/// blocks per instruction, AVX2 two, SSSE3 one; one kernel body over <see cref="IFastScanWidth{TBytes, TWords}"/>),
/// partial sums accumulate in 16 bits (byte pairs as words plus the odd bytes) and are widened once per group of 32 tokens.
/// The scalar path performs the same integer sums, so all paths return identical scores.
/// </summary>
public static class FastScanKernel
{
    /// <summary>Whether a SIMD path (AVX-512BW, AVX2 or SSSE3) is used on this machine.</summary>
    public static bool IsAccelerated => FastScanWidth512.IsSupported || FastScanWidth256.IsSupported || FastScanWidth128.IsSupported;

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
        Span<float> scores, bool forceScalar = false) =>
        ScoreGroupCore(group, table, storedBlocks, bias, invScale, scores, forceScalar);

    /// <summary>
    /// Scores the first <paramref name="tokens"/> tokens of a page in one call, each multiplied by its norm in registers:
    /// scores[t] = (bias + invScale · Σ_i table[i·16 + code_{t,i}]) · norms[t]. One call per page instead of per group of
    /// 32 keeps the argument checks and the width dispatch out of the loop; exactly <paramref name="tokens"/> scores are
    /// written (a partial last group goes through a 32-entry buffer).
    /// </summary>
    /// <param name="codes">The page's codes, <paramref name="groupBytes"/> per group of 32 tokens.</param>
    /// <param name="groupBytes">Bytes per group (at least storedBlocks·16).</param>
    /// <param name="tokens">Tokens to score.</param>
    /// <param name="table">The quantised table, 16 bytes per stored block.</param>
    /// <param name="storedBlocks">Stored blocks (a multiple of 4, at most <see cref="QuantizedScoreTable.MaxBlocks"/>).</param>
    /// <param name="bias">Added to every integer sum times <paramref name="invScale"/>.</param>
    /// <param name="invScale">Multiplies the integer sums.</param>
    /// <param name="norms">One factor per token (at least <paramref name="tokens"/> rounded up to whole groups).</param>
    /// <param name="scores">At least <paramref name="tokens"/> outputs.</param>
    internal static void ScorePageTimesNorms(ReadOnlySpan<byte> codes, int groupBytes, int tokens, ReadOnlySpan<byte> table, int storedBlocks,
        float bias, float invScale, ReadOnlySpan<float> norms, Span<float> scores)
    {
        int groups = (tokens + 31) / 32;
        if (storedBlocks % 4 != 0 || storedBlocks > QuantizedScoreTable.MaxBlocks || storedBlocks < 4)
            throw new ArgumentOutOfRangeException(nameof(storedBlocks), storedBlocks, "storedBlocks must be a multiple of 4 in [4, 256].");
        if (groupBytes < storedBlocks * 16 || codes.Length < groups * groupBytes)
            throw new ArgumentException("codes must hold whole groups of groupBytes ≥ storedBlocks·16 bytes for every token.", nameof(codes));
        if (table.Length < storedBlocks * 16) throw new ArgumentException("table is shorter than storedBlocks·16 bytes.", nameof(table));
        if (norms.Length < groups * 32) throw new ArgumentException("norms needs one entry per token of every group.", nameof(norms));
        if (scores.Length < tokens) throw new ArgumentException("scores is shorter than tokens.", nameof(scores));

        if (FastScanWidth512.IsSupported) Page<FastScanWidth512, Vector512<byte>, Vector512<ushort>>(codes, groupBytes, tokens, table, storedBlocks, bias, invScale, norms, scores);
        else if (FastScanWidth256.IsSupported) Page<FastScanWidth256, Vector256<byte>, Vector256<ushort>>(codes, groupBytes, tokens, table, storedBlocks, bias, invScale, norms, scores);
        else if (FastScanWidth128.IsSupported) Page<FastScanWidth128, Vector128<byte>, Vector128<ushort>>(codes, groupBytes, tokens, table, storedBlocks, bias, invScale, norms, scores);
        else
        {
            Span<float> last = stackalloc float[32];
            for (int g = 0; g < tokens; g += 32)
            {
                int n = Math.Min(32, tokens - g);
                Span<float> target = n == 32 ? scores.Slice(g, 32) : last;
                Scalar(codes.Slice(g / 32 * groupBytes, groupBytes), table, storedBlocks, bias, invScale, target, norms.Slice(g, 32));
                if (n < 32) last.Slice(0, n).CopyTo(scores.Slice(g));
            }
        }
    }

    private static void Page<TWidth, TBytes, TWords>(ReadOnlySpan<byte> codes, int groupBytes, int tokens, ReadOnlySpan<byte> table,
        int storedBlocks, float bias, float invScale, ReadOnlySpan<float> norms, Span<float> scores)
        where TWidth : struct, IFastScanWidth<TBytes, TWords>
        where TBytes : struct
        where TWords : struct
    {
        ref byte group = ref MemoryMarshal.GetReference(codes);
        ref byte lut = ref MemoryMarshal.GetReference(table);
        ref float norm = ref MemoryMarshal.GetReference(norms);
        ref float score = ref MemoryMarshal.GetReference(scores);
        int full = tokens / 32 * 32;
        for (int g = 0; g < full; g += 32)
            Group<TWidth, TBytes, TWords>(ref Unsafe.Add(ref group, g / 32 * groupBytes), ref lut, storedBlocks, bias, invScale, true,
                ref Unsafe.Add(ref norm, g), ref Unsafe.Add(ref score, g));
        if (full == tokens) return;
        Span<float> last = stackalloc float[32];
        Group<TWidth, TBytes, TWords>(ref Unsafe.Add(ref group, full / 32 * groupBytes), ref lut, storedBlocks, bias, invScale, true,
            ref Unsafe.Add(ref norm, full), ref MemoryMarshal.GetReference(last));
        last.Slice(0, tokens - full).CopyTo(scores.Slice(full));
    }

    private static void ScoreGroupCore(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int storedBlocks, float bias, float invScale,
        Span<float> scores, bool forceScalar)
    {
        if (storedBlocks % 4 != 0 || storedBlocks > QuantizedScoreTable.MaxBlocks || storedBlocks < 4)
            throw new ArgumentOutOfRangeException(nameof(storedBlocks), storedBlocks, "storedBlocks must be a multiple of 4 in [4, 256].");
        if (group.Length < storedBlocks * 16) throw new ArgumentException("group is shorter than storedBlocks·16 bytes.", nameof(group));
        if (table.Length < storedBlocks * 16) throw new ArgumentException("table is shorter than storedBlocks·16 bytes.", nameof(table));
        if (scores.Length < 32) throw new ArgumentException("scores needs 32 entries.", nameof(scores));

        if (forceScalar) Scalar(group, table, storedBlocks, bias, invScale, scores, ReadOnlySpan<float>.Empty);
        else if (FastScanWidth512.IsSupported) Simd<FastScanWidth512, Vector512<byte>, Vector512<ushort>>(group, table, storedBlocks, bias, invScale, scores);
        else if (FastScanWidth256.IsSupported) Simd<FastScanWidth256, Vector256<byte>, Vector256<ushort>>(group, table, storedBlocks, bias, invScale, scores);
        else if (FastScanWidth128.IsSupported) Simd<FastScanWidth128, Vector128<byte>, Vector128<ushort>>(group, table, storedBlocks, bias, invScale, scores);
        else Scalar(group, table, storedBlocks, bias, invScale, scores, ReadOnlySpan<float>.Empty);
    }

    private static void Scalar(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int storedBlocks, float bias, float invScale, Span<float> scores,
        ReadOnlySpan<float> norms)
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

        for (int j = 0; j < 32; j++) scores[j] = norms.IsEmpty ? bias + invScale * sums[j] : (bias + invScale * sums[j]) * norms[j];
    }

    // One body for every width; FastScanWidth512/256/128 supply the ISA's byte shuffle.
    internal static void Simd<TWidth, TBytes, TWords>(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int storedBlocks, float bias,
        float invScale, Span<float> scores)
        where TWidth : struct, IFastScanWidth<TBytes, TWords>
        where TBytes : struct
        where TWords : struct
    {
        float unused = 0f;
        Group<TWidth, TBytes, TWords>(ref MemoryMarshal.GetReference(group), ref MemoryMarshal.GetReference(table), storedBlocks, bias,
            invScale, false, ref unused, ref MemoryMarshal.GetReference(scores));
    }

    // scores[0..31] of one group; with timesNorms each is multiplied by norms[j] in registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group<TWidth, TBytes, TWords>(ref byte codes, ref byte lut, int storedBlocks, float bias, float invScale,
        bool timesNorms, ref float norms, ref float scores)
        where TWidth : struct, IFastScanWidth<TBytes, TWords>
        where TBytes : struct
        where TWords : struct
    {
        // FAISS's trick: the looked-up bytes are added as 16-bit words (byte pairs, even token + 256·odd token) and,
        // shifted down, as the odd bytes alone; even = words − 256·odd afterwards. Two adds and a shift per shuffle
        // instead of two unpacks (shuffle-port instructions) and two adds. Every sum is at most 255·256 < 2^16, so the
        // modulo-2^16 arithmetic gives the exact integer sums of the scalar path.
        TWords pairsLow = default, oddLow = default, pairsHigh = default, oddHigh = default;
        for (int i = 0; i < storedBlocks; i += TWidth.Blocks)
        {
            TBytes c = TWidth.Load(ref codes, i * 16);
            TBytes l = TWidth.Load(ref lut, i * 16);
            TBytes low = TWidth.ShuffleLow(l, c);
            TBytes high = TWidth.ShuffleHigh(l, c);
            pairsLow = TWidth.AddPairs(pairsLow, low);
            oddLow = TWidth.AddOdd(oddLow, low);
            pairsHigh = TWidth.AddPairs(pairsHigh, high);
            oddHigh = TWidth.AddOdd(oddHigh, high);
        }

        // Byte j of a code lane is token j (low nibble) and token j + 16 (high nibble).
        Vector128<ushort> odd = TWidth.Fold(oddLow), even = TWidth.Fold(pairsLow) - (odd << 8);
        Finish(Sse2.UnpackLow(even, odd), bias, invScale, timesNorms, ref norms, ref scores, 0);
        Finish(Sse2.UnpackHigh(even, odd), bias, invScale, timesNorms, ref norms, ref scores, 8);
        odd = TWidth.Fold(oddHigh);
        even = TWidth.Fold(pairsHigh) - (odd << 8);
        Finish(Sse2.UnpackLow(even, odd), bias, invScale, timesNorms, ref norms, ref scores, 16);
        Finish(Sse2.UnpackHigh(even, odd), bias, invScale, timesNorms, ref norms, ref scores, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector128<ushort> sums, float bias, float invScale, bool timesNorms, ref float norms, ref float scores, int offset)
    {
        Vector256<float> f = Vector256.ConvertToSingle(Vector256.WidenLower(sums.ToVector256Unsafe()).AsInt32());
        Vector256<float> r = Vector256.Create(bias) + f * Vector256.Create(invScale);
        if (timesNorms) r *= Vector256.LoadUnsafe(ref norms, (nuint)offset);
        r.StoreUnsafe(ref scores, (nuint)offset);
    }
}
