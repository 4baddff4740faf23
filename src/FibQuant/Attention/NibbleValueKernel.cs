using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// Value accumulation for 4-bit codes (<see cref="CodeLayout.Nibbles"/>, N = 16) in the rotated domain:
/// out_{i·k+c} = Σ_t w_t · C[idx_{t,i}]_c with coordinate c of the 16 codewords in one register, looked up with vpermps.
/// vpermps reads only bits 3:0 of each dword index, so a 64-byte load of a group's codes for four blocks feeds it
/// directly: byte s of every dword comes from a load at byte offset s, the high nibble h after a dword shift by 4 — no
/// byte-to-dword expansion, which would compete with the permutes for the shuffle port. Lane l then holds block 4q + l/4 (chunk q) and token
/// 4(l%4) + s + 16h of the group, so the token weights are laid out once per group in that order
/// (<see cref="ArrangeWeights"/>) and broadcast four floats at a time. The permuted codeword coordinates are the same for
/// every query head of a group, so heads go four per pass and each permute feeds four heads' multiply-adds.
/// AVX-512 only: AVX2 has no 16-entry float permute; <see cref="ValueHistogram"/> is the portable path.
/// </summary>
internal static unsafe class NibbleValueKernel
{
    /// <summary>Floats per accumulator vector.</summary>
    public const int Lanes = 16;

    /// <summary>Blocks per 64-byte chunk of a group's codes.</summary>
    public const int ChunkBlocks = 4;

    /// <summary>Whether this machine and layout use the kernel.</summary>
    public static bool Supports(CodeLayout layout) => Avx512F.IsSupported && layout == CodeLayout.Nibbles;

    /// <summary>Accumulator floats per head: one 16-lane vector per chunk of four stored blocks and coordinate.</summary>
    public static int AccumulatorsPerHead(int storedBlocks, int k) => storedBlocks / ChunkBlocks * k * Lanes;

    /// <summary>tables[c·16 + n] = C[n·k + c]: the codebook transposed to one 16-float row per coordinate.</summary>
    public static float[] BuildTables(ReadOnlySpan<float> codewords, int k)
    {
        if (k < 1 || codewords.Length != 16 * k)
            throw new ArgumentOutOfRangeException(nameof(codewords), codewords.Length, $"The codebook must hold 16 codewords of k = {k} floats.");
        var tables = new float[k * 16];
        for (int c = 0; c < k; c++)
            for (int n = 0; n < 16; n++)
                tables[c * 16 + n] = codewords[n * k + c];
        return tables;
    }

    /// <summary>
    /// The softmax numerators of one page, laid out for <see cref="AccumulatePage"/>: with e_t = exp(scores[t] − max)
    /// (<see cref="VectorExp"/>) and zero past the last token, arranged[32g + 16h + 4s + m] = e_t · norms[t] for
    /// t = 32g + 16h + 4m + s, over the tokens rounded up to whole groups of 32. Returns Σ_t e_t, the page's share of the
    /// softmax denominator.
    /// </summary>
    public static float ArrangeWeights(ReadOnlySpan<float> scores, float max, ReadOnlySpan<float> norms, Span<float> arranged)
    {
        int padded = (scores.Length + 31) / 32 * 32;
        if (norms.Length < padded || arranged.Length < padded)
            throw new ArgumentException("norms and arranged must cover the scores rounded up to whole groups of 32.", nameof(arranged));
        // Within each half group of 16 the weights form a 4 × 4 matrix (m, s) that is transposed to (s, m).
        Vector512<int> transpose = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        Vector512<float> shift = Vector512.Create(max), sum = Vector512<float>.Zero;
        ref float score = ref MemoryMarshal.GetReference(scores);
        ref float norm = ref MemoryMarshal.GetReference(norms);
        ref float target = ref MemoryMarshal.GetReference(arranged);
        int full = scores.Length / 16 * 16;
        Span<float> tail = stackalloc float[16];
        for (int i = 0; i < padded; i += 16)
        {
            Vector512<float> s;
            if (i < full) s = Vector512.LoadUnsafe(ref score, (nuint)i);
            else
            {
                // The partial tail: tokens past the end score −∞, so their numerators are exactly zero.
                tail.Fill(float.NegativeInfinity);
                if (i < scores.Length) scores.Slice(i).CopyTo(tail);
                s = Vector512.Create<float>(tail);
            }

            Vector512<float> e = VectorExp.Exp(s - shift);
            sum += e;
            Avx512F.PermuteVar16x32(e * Vector512.LoadUnsafe(ref norm, (nuint)i), transpose).StoreUnsafe(ref target, (nuint)i);
        }

        return Vector512.Sum(sum);
    }

    /// <summary>
    /// Adds <paramref name="groups"/> groups of 32 tokens of one page for every head h &lt; heads:
    /// accumulators[h·A + (q·k + c)·16 + l] += Σ w · C[idx]_c over the tokens of lane l (A = <see cref="AccumulatorsPerHead"/>).
    /// arranged holds heads rows of <paramref name="rowStride"/> floats from <see cref="ArrangeWeights"/>, zero for tokens
    /// past the page's end.
    /// </summary>
    public static void AccumulatePage(ReadOnlySpan<byte> pageCodes, int groups, int groupBytes, int storedBlocks,
        ReadOnlySpan<float> tables, int k, ReadOnlySpan<float> arranged, int rowStride, int heads, Span<float> accumulators)
    {
        int chunks = storedBlocks / ChunkBlocks, perHead = chunks * k * Lanes;
        if (storedBlocks % ChunkBlocks != 0 || groupBytes < storedBlocks * 16 || pageCodes.Length < groups * groupBytes
            || tables.Length < k * 16 || rowStride < groups * 32 || arranged.Length < (heads - 1) * rowStride + groups * 32
            || accumulators.Length < heads * perHead)
            throw new ArgumentException("Buffers do not match the page, heads and codebook.");

        ref byte codeBase = ref MemoryMarshal.GetReference(pageCodes);
        ref float accBase = ref MemoryMarshal.GetReference(accumulators);
        // The weights are read with vbroadcastf32x4 from memory, which .NET exposes only through a pointer.
        fixed (float* weightBase = arranged)
        {
            for (int q = 0; q < chunks; q++)
            {
                ref byte chunk = ref Unsafe.Add(ref codeBase, q * 64);
                // Groups whose chunk can be read 3 bytes past its end without leaving the page (see ByteLane).
                int loadable = (groups - 1) * groupBytes + q * 64 + 67 <= pageCodes.Length ? groups : groups - 1;
                // Two coordinates per pass share each shifted index; an odd last coordinate is looked up twice and kept once.
                for (int c = 0; c < k; c += 2)
                {
                    int second = Math.Min(c + 1, k - 1);
                    ReadOnlySpan<float> rowA = tables.Slice(c * 16, 16), rowB = tables.Slice(second * 16, 16);
                    int slotA = (q * k + c) * Lanes, slotB = (q * k + second) * Lanes;
                    int h = 0;
                    for (; h + 3 < heads; h += 4)
                        FourHeads(ref chunk, groups, loadable, groupBytes, rowA, rowB, weightBase + h * rowStride, rowStride,
                            ref Unsafe.Add(ref accBase, h * perHead), perHead, slotA, slotB);
                    for (; h < heads; h++)
                        OneHead(ref chunk, groups, loadable, groupBytes, rowA, rowB, weightBase + h * rowStride,
                            ref Unsafe.Add(ref accBase, h * perHead), slotA, slotB);
                }
            }
        }
    }

    /// <summary>
    /// rotated[i·k + c] = Σ of the four lanes of block i in accumulator (i/4, c), for i &lt; rotated.Length / k (one head;
    /// padding blocks past d/k are dropped).
    /// </summary>
    public static void Reduce(ReadOnlySpan<float> accumulators, int k, Span<float> rotated)
    {
        int blocks = rotated.Length / k;
        if (accumulators.Length < (blocks + ChunkBlocks - 1) / ChunkBlocks * k * Lanes)
            throw new ArgumentException("accumulators holds fewer chunks than rotated needs.", nameof(accumulators));
        for (int i = 0; i < blocks; i++)
            for (int c = 0; c < k; c++)
            {
                ReadOnlySpan<float> lanes = accumulators.Slice((i / ChunkBlocks * k + c) * Lanes + i % ChunkBlocks * 4, 4);
                rotated[i * k + c] = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            }
    }

    // Each head's sums run in two chains (low and high nibble: tokens 0–15 and 16–31 of a group), added at the end of
    // the page in both passes, so a head's result does not depend on how many heads shared its pass.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OneHead(ref byte chunk, int groups, int loadable, int groupBytes, ReadOnlySpan<float> rowA, ReadOnlySpan<float> rowB,
        float* w, ref float acc, int slotA, int slotB)
    {
        Vector512<float> ta = Vector512.Create(rowA), tb = Vector512.Create(rowB);
        Vector512<float> a0 = Vector512.LoadUnsafe(ref acc, (nuint)slotA), b0 = Vector512.LoadUnsafe(ref acc, (nuint)slotB);
        Vector512<float> a1 = Vector512<float>.Zero, b1 = Vector512<float>.Zero;
        for (int g = 0; g < groups; g++, w += 32)
        {
            ref byte codes = ref Unsafe.Add(ref chunk, g * groupBytes);
            bool atEnd = g >= loadable;
            Step(ByteLane(ref codes, 0, atEnd), 0, w, ta, tb, ref a0, ref b0, ref a1, ref b1);
            Step(ByteLane(ref codes, 1, atEnd), 4, w, ta, tb, ref a0, ref b0, ref a1, ref b1);
            Step(ByteLane(ref codes, 2, atEnd), 8, w, ta, tb, ref a0, ref b0, ref a1, ref b1);
            Step(ByteLane(ref codes, 3, atEnd), 12, w, ta, tb, ref a0, ref b0, ref a1, ref b1);
        }

        // B before A: when k is odd the last pair's slots coincide and A holds the single contribution.
        (b0 + b1).StoreUnsafe(ref acc, (nuint)slotB);
        (a0 + a1).StoreUnsafe(ref acc, (nuint)slotA);
    }

    /// <summary>
    /// Byte s of every dword of a chunk at bits 7:0 (vpermps reads bits 3:0, the high nibble follows a shift by 4): a load
    /// from byte offset s, because loads issue on their own ports while a shift would compete with the permutes. A chunk
    /// at the end of the page (<paramref name="atEnd"/>) cannot be read 3 bytes past its end and is shifted instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> ByteLane(ref byte codes, int s, bool atEnd) =>
        atEnd ? Vector512.LoadUnsafe(ref codes).AsInt32() >>> (8 * s) : Vector512.LoadUnsafe(ref codes, (nuint)s).AsInt32();

    /// <summary>Byte s of every dword (codes shifted down by 8s): the low nibbles with weights[o..o+3], the high with weights[o+16..].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(Vector512<int> codes, int o, float* w, Vector512<float> ta, Vector512<float> tb,
        ref Vector512<float> a0, ref Vector512<float> b0, ref Vector512<float> a1, ref Vector512<float> b1)
    {
        Vector512<int> high = codes >>> 4;
        Vector512<float> wl = Avx512F.BroadcastVector128ToVector512(w + o), wh = Avx512F.BroadcastVector128ToVector512(w + o + 16);
        a0 = Avx512F.FusedMultiplyAdd(wl, Avx512F.PermuteVar16x32(ta, codes), a0);
        b0 = Avx512F.FusedMultiplyAdd(wl, Avx512F.PermuteVar16x32(tb, codes), b0);
        a1 = Avx512F.FusedMultiplyAdd(wh, Avx512F.PermuteVar16x32(ta, high), a1);
        b1 = Avx512F.FusedMultiplyAdd(wh, Avx512F.PermuteVar16x32(tb, high), b1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FourHeads(ref byte chunk, int groups, int loadable, int groupBytes, ReadOnlySpan<float> rowA, ReadOnlySpan<float> rowB,
        float* w, int rowStride, ref float acc, int perHead, int slotA, int slotB)
    {
        Vector512<float> ta = Vector512.Create(rowA), tb = Vector512.Create(rowB);
        float* w1 = w + rowStride, w2 = w1 + rowStride, w3 = w2 + rowStride;
        ref float acc1 = ref Unsafe.Add(ref acc, perHead), acc2 = ref Unsafe.Add(ref acc1, perHead), acc3 = ref Unsafe.Add(ref acc2, perHead);
        Vector512<float> a00 = Vector512.LoadUnsafe(ref acc, (nuint)slotA), b00 = Vector512.LoadUnsafe(ref acc, (nuint)slotB);
        Vector512<float> a10 = Vector512.LoadUnsafe(ref acc1, (nuint)slotA), b10 = Vector512.LoadUnsafe(ref acc1, (nuint)slotB);
        Vector512<float> a20 = Vector512.LoadUnsafe(ref acc2, (nuint)slotA), b20 = Vector512.LoadUnsafe(ref acc2, (nuint)slotB);
        Vector512<float> a30 = Vector512.LoadUnsafe(ref acc3, (nuint)slotA), b30 = Vector512.LoadUnsafe(ref acc3, (nuint)slotB);
        Vector512<float> a01 = default, b01 = default, a11 = default, b11 = default;
        Vector512<float> a21 = default, b21 = default, a31 = default, b31 = default;
        for (int g = 0; g < groups; g++)
        {
            ref byte codes = ref Unsafe.Add(ref chunk, g * groupBytes);
            bool atEnd = g >= loadable;
            for (int s = 0; s < 4; s++)
            {
                Vector512<int> low = ByteLane(ref codes, s, atEnd);
                Vector512<int> high = low >>> 4;
                Vector512<float> xa = Avx512F.PermuteVar16x32(ta, low), xb = Avx512F.PermuteVar16x32(tb, low);
                Vector512<float> ya = Avx512F.PermuteVar16x32(ta, high), yb = Avx512F.PermuteVar16x32(tb, high);
                int lo = g * 32 + 4 * s, hi = lo + 16;
                Vector512<float> wl = Avx512F.BroadcastVector128ToVector512(w + lo), wh = Avx512F.BroadcastVector128ToVector512(w + hi);
                a00 = Avx512F.FusedMultiplyAdd(wl, xa, a00);
                b00 = Avx512F.FusedMultiplyAdd(wl, xb, b00);
                a01 = Avx512F.FusedMultiplyAdd(wh, ya, a01);
                b01 = Avx512F.FusedMultiplyAdd(wh, yb, b01);
                wl = Avx512F.BroadcastVector128ToVector512(w1 + lo);
                wh = Avx512F.BroadcastVector128ToVector512(w1 + hi);
                a10 = Avx512F.FusedMultiplyAdd(wl, xa, a10);
                b10 = Avx512F.FusedMultiplyAdd(wl, xb, b10);
                a11 = Avx512F.FusedMultiplyAdd(wh, ya, a11);
                b11 = Avx512F.FusedMultiplyAdd(wh, yb, b11);
                wl = Avx512F.BroadcastVector128ToVector512(w2 + lo);
                wh = Avx512F.BroadcastVector128ToVector512(w2 + hi);
                a20 = Avx512F.FusedMultiplyAdd(wl, xa, a20);
                b20 = Avx512F.FusedMultiplyAdd(wl, xb, b20);
                a21 = Avx512F.FusedMultiplyAdd(wh, ya, a21);
                b21 = Avx512F.FusedMultiplyAdd(wh, yb, b21);
                wl = Avx512F.BroadcastVector128ToVector512(w3 + lo);
                wh = Avx512F.BroadcastVector128ToVector512(w3 + hi);
                a30 = Avx512F.FusedMultiplyAdd(wl, xa, a30);
                b30 = Avx512F.FusedMultiplyAdd(wl, xb, b30);
                a31 = Avx512F.FusedMultiplyAdd(wh, ya, a31);
                b31 = Avx512F.FusedMultiplyAdd(wh, yb, b31);
            }
        }

        (b30 + b31).StoreUnsafe(ref acc3, (nuint)slotB);
        (a30 + a31).StoreUnsafe(ref acc3, (nuint)slotA);
        (b20 + b21).StoreUnsafe(ref acc2, (nuint)slotB);
        (a20 + a21).StoreUnsafe(ref acc2, (nuint)slotA);
        (b10 + b11).StoreUnsafe(ref acc1, (nuint)slotB);
        (a10 + a11).StoreUnsafe(ref acc1, (nuint)slotA);
        (b00 + b01).StoreUnsafe(ref acc, (nuint)slotB);
        (a00 + a01).StoreUnsafe(ref acc, (nuint)slotA);
    }
}
