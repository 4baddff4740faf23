using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// Value accumulation in the rotated domain with the value codebook held in registers: for block i and coordinate c,
/// out_{i·k+c} = Σ_t w_t · C[idx_{t,i}]_c. Coordinate c of all N ≤ 64 codewords sits in one to four 16-lane registers,
/// so 16 tokens' codeword coordinates come from one lane permute (vpermps / vpermt2ps) instead of a scatter into a
/// histogram; the sums are plain fp32 multiply-adds, 16 tokens per lane vector, reduced once per query.
/// Query heads sharing the cache go four (N ≤ 32) or two per pass, so each lookup feeds several heads' multiply-adds. AVX-512 only: AVX2
/// has no 16-entry float permute, and the histogram (<see cref="ValueHistogram"/>) is the portable path.
/// </summary>
internal static class ValuePermuteKernel
{
    /// <summary>Largest codebook whose coordinate tables fit the permutes (four registers).</summary>
    public const int MaxCodewords = 64;

    /// <summary>Floats per accumulator: one lane per token of a half group.</summary>
    public const int Lanes = 16;

    /// <summary>Whether this machine and layout use the kernel.</summary>
    public static bool Supports(CodeLayout layout, int codewords) =>
        Avx512F.IsSupported && (layout == CodeLayout.Nibbles || (layout == CodeLayout.Bytes && codewords <= MaxCodewords));

    /// <summary>tables[c·64 + n] = C[n·k + c] (zero for n ≥ N): the codebook transposed to one row per coordinate.</summary>
    public static float[] BuildTables(ReadOnlySpan<float> codewords, int k)
    {
        int n = codewords.Length / k;
        if (n > MaxCodewords) throw new ArgumentOutOfRangeException(nameof(codewords), n, $"N must be at most {MaxCodewords}.");
        var tables = new float[k * MaxCodewords];
        for (int c = 0; c < k; c++)
            for (int w = 0; w < n; w++)
                tables[c * MaxCodewords + w] = codewords[w * k + c];
        return tables;
    }

    /// <summary>
    /// Adds the first <paramref name="tokens"/> tokens of <paramref name="page"/> for every head h &lt; heads:
    /// accumulators[(h·d + i·k + c)·16 + lane] += w_{h,t} C[idx_{t,i}]_c. weights holds heads rows of
    /// <see cref="PagedCodes.PageTokens"/>, zero from <paramref name="tokens"/> to the end of its group of 32.
    /// </summary>
    public static void AccumulatePage(PagedCodes codes, int page, int tokens, ReadOnlySpan<float> tables, int k,
        ReadOnlySpan<float> weights, int heads, Span<float> accumulators)
    {
        int blocks = codes.Blocks, d = blocks * k, groupBytes = codes.GroupBytes, n = codes.Codewords;
        int groups = (tokens + PagedCodes.GroupTokens - 1) / PagedCodes.GroupTokens;
        bool nibbles = codes.Layout == CodeLayout.Nibbles;
        ReadOnlySpan<byte> pageCodes = codes.PageCodes(page);
        if (tables.Length < k * MaxCodewords || weights.Length < heads * PagedCodes.PageTokens || accumulators.Length < heads * d * Lanes
            || pageCodes.Length < groups * groupBytes || (!nibbles && codes.Layout != CodeLayout.Bytes))
            throw new ArgumentException("Buffers do not match the page, heads and codebook.");

        ref byte codeBase = ref MemoryMarshal.GetReference(pageCodes);
        ref float tableBase = ref MemoryMarshal.GetReference(tables);
        ref float weightBase = ref MemoryMarshal.GetReference(weights);
        ref float accBase = ref MemoryMarshal.GetReference(accumulators);
        for (int i = 0; i < blocks; i++)
        {
            int blockOffset = nibbles ? i * 16 : i * PagedCodes.GroupTokens;
            // Two coordinates per pass share each index expansion; an odd last coordinate is looked up twice and kept once.
            for (int c = 0; c < k; c += 2)
            {
                int second = Math.Min(c + 1, k - 1);
                ref float rowA = ref Unsafe.Add(ref tableBase, c * MaxCodewords);
                ref float rowB = ref Unsafe.Add(ref tableBase, second * MaxCodewords);
                Vector512<float> a0 = Vector512.LoadUnsafe(ref rowA), a1 = Vector512.LoadUnsafe(ref rowA, 16);
                Vector512<float> a2 = Vector512.LoadUnsafe(ref rowA, 32), a3 = Vector512.LoadUnsafe(ref rowA, 48);
                Vector512<float> b0 = Vector512.LoadUnsafe(ref rowB), b1 = Vector512.LoadUnsafe(ref rowB, 16);
                Vector512<float> b2 = Vector512.LoadUnsafe(ref rowB, 32), b3 = Vector512.LoadUnsafe(ref rowB, 48);
                ref byte block = ref Unsafe.Add(ref codeBase, blockOffset);
                int h = 0;
                // Four heads per pass where the tables take at most two registers per coordinate (N ≤ 32): each lookup
                // feeds four heads, and the sixteen sums (4 heads × 2 coordinates × tokens 0–15 / 16–31) stay in
                // registers. The sums are the single-head path's, in its order, so every head's result is bit-identical.
                for (; n <= 32 && h + 3 < heads; h += 4)
                {
                    ref float w1 = ref Unsafe.Add(ref weightBase, h * PagedCodes.PageTokens);
                    ref float w2 = ref Unsafe.Add(ref w1, PagedCodes.PageTokens);
                    ref float w3 = ref Unsafe.Add(ref w2, PagedCodes.PageTokens);
                    ref float w4 = ref Unsafe.Add(ref w3, PagedCodes.PageTokens);
                    ref float slotA1 = ref Unsafe.Add(ref accBase, (h * d + i * k + c) * Lanes);
                    ref float slotB1 = ref Unsafe.Add(ref accBase, (h * d + i * k + second) * Lanes);
                    ref float slotA2 = ref Unsafe.Add(ref slotA1, d * Lanes), slotB2 = ref Unsafe.Add(ref slotB1, d * Lanes);
                    ref float slotA3 = ref Unsafe.Add(ref slotA2, d * Lanes), slotB3 = ref Unsafe.Add(ref slotB2, d * Lanes);
                    ref float slotA4 = ref Unsafe.Add(ref slotA3, d * Lanes), slotB4 = ref Unsafe.Add(ref slotB3, d * Lanes);
                    Vector512<float> accA1 = Vector512.LoadUnsafe(ref slotA1), accB1 = Vector512.LoadUnsafe(ref slotB1);
                    Vector512<float> accA2 = Vector512.LoadUnsafe(ref slotA2), accB2 = Vector512.LoadUnsafe(ref slotB2);
                    Vector512<float> accA3 = Vector512.LoadUnsafe(ref slotA3), accB3 = Vector512.LoadUnsafe(ref slotB3);
                    Vector512<float> accA4 = Vector512.LoadUnsafe(ref slotA4), accB4 = Vector512.LoadUnsafe(ref slotB4);
                    Vector512<float> hiA1 = default, hiB1 = default, hiA2 = default, hiB2 = default;
                    Vector512<float> hiA3 = default, hiB3 = default, hiA4 = default, hiB4 = default;
                    for (int g = 0; g < groups; g++)
                    {
                        Indices(ref Unsafe.Add(ref block, g * groupBytes), nibbles, out Vector512<int> low, out Vector512<int> high);
                        Vector512<float> xa = Lookup(low, n, a0, a1, a2, a3), ya = Lookup(high, n, a0, a1, a2, a3);
                        Vector512<float> xb = Lookup(low, n, b0, b1, b2, b3), yb = Lookup(high, n, b0, b1, b2, b3);
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
                        wLow = Vector512.LoadUnsafe(ref w3, lo);
                        wHigh = Vector512.LoadUnsafe(ref w3, hi);
                        accA3 = Avx512F.FusedMultiplyAdd(wLow, xa, accA3);
                        hiA3 = Avx512F.FusedMultiplyAdd(wHigh, ya, hiA3);
                        accB3 = Avx512F.FusedMultiplyAdd(wLow, xb, accB3);
                        hiB3 = Avx512F.FusedMultiplyAdd(wHigh, yb, hiB3);
                        wLow = Vector512.LoadUnsafe(ref w4, lo);
                        wHigh = Vector512.LoadUnsafe(ref w4, hi);
                        accA4 = Avx512F.FusedMultiplyAdd(wLow, xa, accA4);
                        hiA4 = Avx512F.FusedMultiplyAdd(wHigh, ya, hiA4);
                        accB4 = Avx512F.FusedMultiplyAdd(wLow, xb, accB4);
                        hiB4 = Avx512F.FusedMultiplyAdd(wHigh, yb, hiB4);
                    }

                    (accB4 + hiB4).StoreUnsafe(ref slotB4);
                    (accA4 + hiA4).StoreUnsafe(ref slotA4);
                    (accB3 + hiB3).StoreUnsafe(ref slotB3);
                    (accA3 + hiA3).StoreUnsafe(ref slotA3);
                    (accB2 + hiB2).StoreUnsafe(ref slotB2);
                    (accA2 + hiA2).StoreUnsafe(ref slotA2);
                    (accB1 + hiB1).StoreUnsafe(ref slotB1);
                    (accA1 + hiA1).StoreUnsafe(ref slotA1);
                }

                for (; h + 1 < heads; h += 2)
                {
                    // Two heads per pass: each lookup feeds both, and all eight sums stay in registers for the page.
                    ref float w1 = ref Unsafe.Add(ref weightBase, h * PagedCodes.PageTokens);
                    ref float w2 = ref Unsafe.Add(ref w1, PagedCodes.PageTokens);
                    ref float slotA1 = ref Unsafe.Add(ref accBase, (h * d + i * k + c) * Lanes);
                    ref float slotB1 = ref Unsafe.Add(ref accBase, (h * d + i * k + second) * Lanes);
                    ref float slotA2 = ref Unsafe.Add(ref slotA1, d * Lanes);
                    ref float slotB2 = ref Unsafe.Add(ref slotB1, d * Lanes);
                    // Tokens 0–15 and 16–31 of a group go to separate sums (lo / hi) so that no sum waits on the multiply-add
                    // before it: eight independent chains keep the FMA units busy instead of waiting out their latency.
                    Vector512<float> accA1 = Vector512.LoadUnsafe(ref slotA1), accB1 = Vector512.LoadUnsafe(ref slotB1);
                    Vector512<float> accA2 = Vector512.LoadUnsafe(ref slotA2), accB2 = Vector512.LoadUnsafe(ref slotB2);
                    Vector512<float> hiA1 = default, hiB1 = default, hiA2 = default, hiB2 = default;
                    for (int g = 0; g < groups; g++)
                    {
                        Indices(ref Unsafe.Add(ref block, g * groupBytes), nibbles, out Vector512<int> low, out Vector512<int> high);
                        Vector512<float> xa = Lookup(low, n, a0, a1, a2, a3), ya = Lookup(high, n, a0, a1, a2, a3);
                        Vector512<float> xb = Lookup(low, n, b0, b1, b2, b3), yb = Lookup(high, n, b0, b1, b2, b3);
                        Vector512<float> wLow = Vector512.LoadUnsafe(ref w1, (nuint)(g * 32)), wHigh = Vector512.LoadUnsafe(ref w1, (nuint)(g * 32 + 16));
                        accA1 = Avx512F.FusedMultiplyAdd(wLow, xa, accA1);
                        hiA1 = Avx512F.FusedMultiplyAdd(wHigh, ya, hiA1);
                        accB1 = Avx512F.FusedMultiplyAdd(wLow, xb, accB1);
                        hiB1 = Avx512F.FusedMultiplyAdd(wHigh, yb, hiB1);
                        wLow = Vector512.LoadUnsafe(ref w2, (nuint)(g * 32));
                        wHigh = Vector512.LoadUnsafe(ref w2, (nuint)(g * 32 + 16));
                        accA2 = Avx512F.FusedMultiplyAdd(wLow, xa, accA2);
                        hiA2 = Avx512F.FusedMultiplyAdd(wHigh, ya, hiA2);
                        accB2 = Avx512F.FusedMultiplyAdd(wLow, xb, accB2);
                        hiB2 = Avx512F.FusedMultiplyAdd(wHigh, yb, hiB2);
                    }

                    // B before A: when k is odd the last pair's slots coincide and A holds the single contribution.
                    (accB2 + hiB2).StoreUnsafe(ref slotB2);
                    (accA2 + hiA2).StoreUnsafe(ref slotA2);
                    (accB1 + hiB1).StoreUnsafe(ref slotB1);
                    (accA1 + hiA1).StoreUnsafe(ref slotA1);
                }

                if (h < heads)
                {
                    ref float w = ref Unsafe.Add(ref weightBase, h * PagedCodes.PageTokens);
                    ref float slotA = ref Unsafe.Add(ref accBase, (h * d + i * k + c) * Lanes);
                    ref float slotB = ref Unsafe.Add(ref accBase, (h * d + i * k + second) * Lanes);
                    Vector512<float> accA = Vector512.LoadUnsafe(ref slotA), accB = Vector512.LoadUnsafe(ref slotB);
                    Vector512<float> hiA = default, hiB = default;
                    for (int g = 0; g < groups; g++)
                    {
                        Indices(ref Unsafe.Add(ref block, g * groupBytes), nibbles, out Vector512<int> low, out Vector512<int> high);
                        Vector512<float> wLow = Vector512.LoadUnsafe(ref w, (nuint)(g * 32)), wHigh = Vector512.LoadUnsafe(ref w, (nuint)(g * 32 + 16));
                        accA = Avx512F.FusedMultiplyAdd(wLow, Lookup(low, n, a0, a1, a2, a3), accA);
                        accB = Avx512F.FusedMultiplyAdd(wLow, Lookup(low, n, b0, b1, b2, b3), accB);
                        hiA = Avx512F.FusedMultiplyAdd(wHigh, Lookup(high, n, a0, a1, a2, a3), hiA);
                        hiB = Avx512F.FusedMultiplyAdd(wHigh, Lookup(high, n, b0, b1, b2, b3), hiB);
                    }

                    accA += hiA;
                    accB += hiB;
                    accB.StoreUnsafe(ref slotB);
                    accA.StoreUnsafe(ref slotA);
                }
            }
        }
    }

    /// <summary>
    /// The codes of one block of a group as two 16-token index vectors (tokens 0–15, 16–31): byte j of a nibble block
    /// holds token j in its low nibble and token j + 16 in its high nibble; a byte block holds token j in byte j.
    /// For nibbles the low vector keeps the high nibble above bit 3: only <see cref="Lookup"/> with n = 16 may read it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Indices(ref byte block, bool nibbles, out Vector512<int> low, out Vector512<int> high)
    {
        if (nibbles)
        {
            // Nibble codes index 16-entry tables (vpermps reads only the low 4 bits), so the high nibble can stay in
            // the low index: no mask is needed.
            low = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref block));
            high = low >>> 4;
        }
        else
        {
            low = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref block));
            high = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref block, 16));
        }
    }

    /// <summary>rotated[j] = Σ_lane accumulators[j·16 + lane] for j &lt; rotated.Length (one head).</summary>
    public static void Reduce(ReadOnlySpan<float> accumulators, Span<float> rotated)
    {
        if (accumulators.Length < rotated.Length * Lanes) throw new ArgumentException("accumulators is shorter than 16·d.", nameof(accumulators));
        ref float acc = ref MemoryMarshal.GetReference(accumulators);
        for (int j = 0; j < rotated.Length; j++) rotated[j] = Vector512.Sum(Vector512.LoadUnsafe(ref acc, (nuint)(j * Lanes)));
    }

    /// <summary>
    /// table[index] per lane for a table of n ≤ 64 floats in t0..t3: vpermps reads the low 4 index bits and vpermt2ps
    /// the low 5, bit 5 picks the upper pair, so any byte code stays inside the registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Lookup(Vector512<int> index, int n, Vector512<float> t0, Vector512<float> t1,
        Vector512<float> t2, Vector512<float> t3)
    {
        if (n <= 16) return Avx512F.PermuteVar16x32(t0, index);
        Vector512<float> low = Avx512F.PermuteVar16x32x2(t0, index, t1);
        if (n <= 32) return low;
        Vector512<float> high = Avx512F.PermuteVar16x32x2(t2, index, t3);
        return Vector512.ConditionalSelect(Vector512.Equals(index & Vector512.Create(32), Vector512<int>.Zero).AsSingle(), low, high);
    }
}
