using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// Value accumulation for byte codes (<see cref="CodeLayout.Bytes"/>, N ≤ 64, as <see cref="PagedCodes.PageCodes"/>
/// unpacks packed codes): out_{i·k+c} = Σ_t w_t · C[idx_{t,i}]_c in fp32, with each coordinate's 64 codeword values
/// split into their high and low 16-bit halves, two registers each. One 16-bit two-table permute (vpermt2w) looks up 32
/// tokens' halves at once for any N ≤ 64, and interleaving the halves (vpunpcklwd / vpunpckhwd) rebuilds the exact fp32
/// values — half the shuffles of <see cref="ValuePermuteKernel"/>'s float permutes, which need two permutes and a blend
/// per 16 tokens above N = 32. The interleave leaves tokens 0–3, 8–11, 16–19, 24–27 of a group in the first vector and
/// the others in the second, so the weights are rearranged the same way once per page and head. Query heads go two per
/// pass (each lookup feeds both), and every head's sums are the single-head path's, so grouped and single-head results
/// are bit-identical. Needs AVX-512BW; accumulators and <see cref="ValuePermuteKernel.Reduce"/> are shared with that kernel.
/// </summary>
internal static class WordPermuteValueKernel
{
    /// <summary>Largest block size k whose word tables the kernel keeps on the stack (128 values per coordinate).</summary>
    public const int MaxBlockSize = 16;

    private const int Lanes = ValuePermuteKernel.Lanes;

    /// <summary>Whether this machine, layout, codebook and block size use the kernel.</summary>
    public static bool Supports(CodeLayout layout, int codewords, int k) =>
        Avx512BW.IsSupported && layout == CodeLayout.Bytes && codewords <= ValuePermuteKernel.MaxCodewords && k <= MaxBlockSize;

    /// <summary>
    /// Adds the first <paramref name="tokens"/> tokens of <paramref name="page"/> for every head h &lt; heads, as
    /// <see cref="ValuePermuteKernel.AccumulatePage"/> does (same tables, weights and accumulator layout).
    /// </summary>
    public static void AccumulatePage(PagedCodes codes, int page, int tokens, ReadOnlySpan<float> tables, int k,
        ReadOnlySpan<float> weights, int heads, Span<float> accumulators)
    {
        int blocks = codes.Blocks, d = blocks * k, groupBytes = codes.GroupBytes;
        int groups = (tokens + PagedCodes.GroupTokens - 1) / PagedCodes.GroupTokens;
        ReadOnlySpan<byte> pageCodes = codes.PageCodes(page);
        if (!Supports(codes.Layout, codes.Codewords, k) || tables.Length < k * ValuePermuteKernel.MaxCodewords
            || weights.Length < heads * PagedCodes.PageTokens || accumulators.Length < heads * d * Lanes || pageCodes.Length < groups * groupBytes)
            throw new ArgumentException("Buffers do not match the page, heads and codebook.");

        // Per coordinate: high halves of codewords 0–31, 32–63, then low halves of 0–31, 32–63.
        Span<ushort> words = stackalloc ushort[k * 128];
        for (int c = 0; c < k; c++)
            for (int n = 0; n < ValuePermuteKernel.MaxCodewords; n++)
            {
                uint bits = BitConverter.SingleToUInt32Bits(tables[c * ValuePermuteKernel.MaxCodewords + n]);
                words[c * 128 + n] = (ushort)(bits >> 16);
                words[c * 128 + 64 + n] = (ushort)bits;
            }

        Span<float> arranged = stackalloc float[2 * PagedCodes.PageTokens];
        for (int h = 0; h < heads; h += 2)
        {
            int pair = Math.Min(2, heads - h);
            for (int p = 0; p < pair; p++) Arrange(weights.Slice((h + p) * PagedCodes.PageTokens, PagedCodes.PageTokens), groups, arranged.Slice(p * PagedCodes.PageTokens));
            if (pair == 2) Pair(pageCodes, groupBytes, groups, blocks, k, words, arranged, accumulators.Slice(h * d * Lanes), d);
            else Single(pageCodes, groupBytes, groups, blocks, k, words, arranged, accumulators.Slice(h * d * Lanes));
        }
    }

    // The weights in the interleave's token order: per group, tokens 0–3, 8–11, 16–19, 24–27, then 4–7, 12–15, 20–23, 28–31.
    private static void Arrange(ReadOnlySpan<float> weights, int groups, Span<float> arranged)
    {
        Vector512<int> first = Vector512.Create(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        Vector512<int> second = first + Vector512.Create(4);
        ref float source = ref MemoryMarshal.GetReference(weights);
        ref float target = ref MemoryMarshal.GetReference(arranged);
        for (int g = 0; g < groups; g++)
        {
            nuint at = (nuint)(g * PagedCodes.GroupTokens);
            Vector512<float> low = Vector512.LoadUnsafe(ref source, at), high = Vector512.LoadUnsafe(ref source, at + 16);
            Avx512F.PermuteVar16x32x2(low, first, high).StoreUnsafe(ref target, at);
            Avx512F.PermuteVar16x32x2(low, second, high).StoreUnsafe(ref target, at + 16);
        }
    }

    private static void Single(ReadOnlySpan<byte> pageCodes, int groupBytes, int groups, int blocks, int k, ReadOnlySpan<ushort> words,
        ReadOnlySpan<float> weights, Span<float> accumulators)
    {
        ref byte codeBase = ref MemoryMarshal.GetReference(pageCodes);
        ref ushort wordBase = ref MemoryMarshal.GetReference(words);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float accBase = ref MemoryMarshal.GetReference(accumulators);
        for (int i = 0; i < blocks; i++)
        {
            // Two coordinates per pass share each index load; an odd last coordinate is looked up twice and kept once.
            for (int c = 0; c < k; c += 2)
            {
                int second = Math.Min(c + 1, k - 1);
                Table(ref wordBase, c, out Vector512<ushort> ah0, out Vector512<ushort> ah1, out Vector512<ushort> al0, out Vector512<ushort> al1);
                Table(ref wordBase, second, out Vector512<ushort> bh0, out Vector512<ushort> bh1, out Vector512<ushort> bl0, out Vector512<ushort> bl1);
                ref byte block = ref Unsafe.Add(ref codeBase, i * PagedCodes.GroupTokens);
                ref float slotA = ref Unsafe.Add(ref accBase, (i * k + c) * Lanes);
                ref float slotB = ref Unsafe.Add(ref accBase, (i * k + second) * Lanes);
                Vector512<float> accA = Vector512.LoadUnsafe(ref slotA), accB = Vector512.LoadUnsafe(ref slotB);
                Vector512<float> hiA = default, hiB = default;
                for (int g = 0; g < groups; g++)
                {
                    Vector512<ushort> index = Avx512BW.ConvertToVector512UInt16(Vector256.LoadUnsafe(ref Unsafe.Add(ref block, g * groupBytes)));
                    Lookup(index, ah0, ah1, al0, al1, out Vector512<float> xa, out Vector512<float> ya);
                    Lookup(index, bh0, bh1, bl0, bl1, out Vector512<float> xb, out Vector512<float> yb);
                    Vector512<float> wLow = Vector512.LoadUnsafe(ref w, (nuint)(g * 32)), wHigh = Vector512.LoadUnsafe(ref w, (nuint)(g * 32 + 16));
                    accA = Avx512F.FusedMultiplyAdd(wLow, xa, accA);
                    hiA = Avx512F.FusedMultiplyAdd(wHigh, ya, hiA);
                    accB = Avx512F.FusedMultiplyAdd(wLow, xb, accB);
                    hiB = Avx512F.FusedMultiplyAdd(wHigh, yb, hiB);
                }

                // B before A: when k is odd the last pair's slots coincide and A holds the single contribution.
                (accB + hiB).StoreUnsafe(ref slotB);
                (accA + hiA).StoreUnsafe(ref slotA);
            }
        }
    }

    private static void Pair(ReadOnlySpan<byte> pageCodes, int groupBytes, int groups, int blocks, int k, ReadOnlySpan<ushort> words,
        ReadOnlySpan<float> weights, Span<float> accumulators, int d)
    {
        ref byte codeBase = ref MemoryMarshal.GetReference(pageCodes);
        ref ushort wordBase = ref MemoryMarshal.GetReference(words);
        ref float w1 = ref MemoryMarshal.GetReference(weights);
        ref float w2 = ref Unsafe.Add(ref w1, PagedCodes.PageTokens);
        ref float accBase = ref MemoryMarshal.GetReference(accumulators);
        for (int i = 0; i < blocks; i++)
        {
            for (int c = 0; c < k; c += 2)
            {
                int second = Math.Min(c + 1, k - 1);
                Table(ref wordBase, c, out Vector512<ushort> ah0, out Vector512<ushort> ah1, out Vector512<ushort> al0, out Vector512<ushort> al1);
                Table(ref wordBase, second, out Vector512<ushort> bh0, out Vector512<ushort> bh1, out Vector512<ushort> bl0, out Vector512<ushort> bl1);
                ref byte block = ref Unsafe.Add(ref codeBase, i * PagedCodes.GroupTokens);
                ref float slotA1 = ref Unsafe.Add(ref accBase, (i * k + c) * Lanes);
                ref float slotB1 = ref Unsafe.Add(ref accBase, (i * k + second) * Lanes);
                ref float slotA2 = ref Unsafe.Add(ref slotA1, d * Lanes);
                ref float slotB2 = ref Unsafe.Add(ref slotB1, d * Lanes);
                Vector512<float> accA1 = Vector512.LoadUnsafe(ref slotA1), accB1 = Vector512.LoadUnsafe(ref slotB1);
                Vector512<float> accA2 = Vector512.LoadUnsafe(ref slotA2), accB2 = Vector512.LoadUnsafe(ref slotB2);
                Vector512<float> hiA1 = default, hiB1 = default, hiA2 = default, hiB2 = default;
                for (int g = 0; g < groups; g++)
                {
                    Vector512<ushort> index = Avx512BW.ConvertToVector512UInt16(Vector256.LoadUnsafe(ref Unsafe.Add(ref block, g * groupBytes)));
                    Lookup(index, ah0, ah1, al0, al1, out Vector512<float> xa, out Vector512<float> ya);
                    Lookup(index, bh0, bh1, bl0, bl1, out Vector512<float> xb, out Vector512<float> yb);
                    nuint lo = (nuint)(g * 32), hi = lo + 16;
                    Vector512<float> wLow = Vector512.LoadUnsafe(ref w1, lo), wHigh = Vector512.LoadUnsafe(ref w1, hi);
                    accA1 = Avx512F.FusedMultiplyAdd(wLow, xa, accA1);
                    hiA1 = Avx512F.FusedMultiplyAdd(wHigh, ya, hiA1);
                    accB1 = Avx512F.FusedMultiplyAdd(wLow, xb, accB1);
                    hiB1 = Avx512F.FusedMultiplyAdd(wHigh, yb, hiB1);
                    wLow = Vector512.LoadUnsafe(ref w2, lo);
                    wHigh = Vector512.LoadUnsafe(ref w2, hi);
                    accA2 = Avx512F.FusedMultiplyAdd(wLow, xa, accA2);
                    hiA2 = Avx512F.FusedMultiplyAdd(wHigh, ya, hiA2);
                    accB2 = Avx512F.FusedMultiplyAdd(wLow, xb, accB2);
                    hiB2 = Avx512F.FusedMultiplyAdd(wHigh, yb, hiB2);
                }

                (accB2 + hiB2).StoreUnsafe(ref slotB2);
                (accA2 + hiA2).StoreUnsafe(ref slotA2);
                (accB1 + hiB1).StoreUnsafe(ref slotB1);
                (accA1 + hiA1).StoreUnsafe(ref slotA1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Table(ref ushort words, int c, out Vector512<ushort> high0, out Vector512<ushort> high1, out Vector512<ushort> low0,
        out Vector512<ushort> low1)
    {
        ref ushort row = ref Unsafe.Add(ref words, c * 128);
        high0 = Vector512.LoadUnsafe(ref row);
        high1 = Vector512.LoadUnsafe(ref row, 32);
        low0 = Vector512.LoadUnsafe(ref row, 64);
        low1 = Vector512.LoadUnsafe(ref row, 96);
    }

    /// <summary>
    /// The fp32 coordinate of 32 tokens' codewords: first = tokens 0–3, 8–11, 16–19, 24–27, second = the others
    /// (vpermt2w reads the low 6 index bits: the two registers hold 64 entries).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lookup(Vector512<ushort> index, Vector512<ushort> high0, Vector512<ushort> high1, Vector512<ushort> low0,
        Vector512<ushort> low1, out Vector512<float> first, out Vector512<float> second)
    {
        Vector512<ushort> high = Avx512BW.PermuteVar32x16x2(high0, index, high1);
        Vector512<ushort> low = Avx512BW.PermuteVar32x16x2(low0, index, low1);
        first = Avx512BW.UnpackLow(low, high).AsSingle();
        second = Avx512BW.UnpackHigh(low, high).AsSingle();
    }
}
