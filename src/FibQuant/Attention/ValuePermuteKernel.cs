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
/// Each code is expanded and looked up once for every query head sharing the cache; a head then costs two
/// multiply-adds per block, coordinate and 32 tokens. AVX-512 only: AVX2 has no 16-entry float permute, and the
/// histogram (<see cref="ValueHistogram"/>) is the portable path.
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

        // Lookups of one block and coordinate for the page's groups: two 16-token vectors per group.
        Span<Vector512<float>> looked = stackalloc Vector512<float>[2 * PagedCodes.PageTokens / PagedCodes.GroupTokens];
        ref byte codeBase = ref MemoryMarshal.GetReference(pageCodes);
        ref float tableBase = ref MemoryMarshal.GetReference(tables);
        ref float weightBase = ref MemoryMarshal.GetReference(weights);
        ref float accBase = ref MemoryMarshal.GetReference(accumulators);
        ref Vector512<float> lookedBase = ref MemoryMarshal.GetReference(looked);
        Vector512<int> lowNibble = Vector512.Create(0x0F);
        for (int i = 0; i < blocks; i++)
        {
            int blockOffset = nibbles ? i * 16 : i * PagedCodes.GroupTokens;
            for (int c = 0; c < k; c++)
            {
                ref float row = ref Unsafe.Add(ref tableBase, c * MaxCodewords);
                Vector512<float> t0 = Vector512.LoadUnsafe(ref row), t1 = Vector512.LoadUnsafe(ref row, 16);
                Vector512<float> t2 = Vector512.LoadUnsafe(ref row, 32), t3 = Vector512.LoadUnsafe(ref row, 48);
                for (int g = 0; g < groups; g++)
                {
                    ref byte group = ref Unsafe.Add(ref codeBase, g * groupBytes + blockOffset);
                    Vector512<int> first, second;
                    if (nibbles)
                    {
                        // Byte j holds token j in its low nibble and token j + 16 in its high nibble.
                        Vector512<int> both = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref group));
                        first = both & lowNibble;
                        second = both >>> 4;
                    }
                    else
                    {
                        first = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref group));
                        second = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref group, 16));
                    }

                    Unsafe.Add(ref lookedBase, 2 * g) = Lookup(first, n, t0, t1, t2, t3);
                    Unsafe.Add(ref lookedBase, 2 * g + 1) = Lookup(second, n, t0, t1, t2, t3);
                }

                for (int h = 0; h < heads; h++)
                {
                    ref float w = ref Unsafe.Add(ref weightBase, h * PagedCodes.PageTokens);
                    ref float slot = ref Unsafe.Add(ref accBase, (h * d + i * k + c) * Lanes);
                    Vector512<float> acc = Vector512.LoadUnsafe(ref slot);
                    for (int g = 0; g < groups; g++)
                    {
                        acc = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, (nuint)(g * 32)), Unsafe.Add(ref lookedBase, 2 * g), acc);
                        acc = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, (nuint)(g * 32 + 16)), Unsafe.Add(ref lookedBase, 2 * g + 1), acc);
                    }

                    acc.StoreUnsafe(ref slot);
                }
            }
        }
    }

    /// <summary>rotated[j] = Σ_lane accumulators[j·16 + lane] for j &lt; rotated.Length (one head).</summary>
    public static void Reduce(ReadOnlySpan<float> accumulators, Span<float> rotated)
    {
        if (accumulators.Length < rotated.Length * Lanes) throw new ArgumentException("accumulators is shorter than 16·d.", nameof(accumulators));
        ref float acc = ref MemoryMarshal.GetReference(accumulators);
        for (int j = 0; j < rotated.Length; j++) rotated[j] = Vector512.Sum(Vector512.LoadUnsafe(ref acc, (nuint)(j * Lanes)));
    }

    // vpermps reads the low 4 index bits and vpermt2ps the low 5, so any byte code stays inside the tables.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lookup(Vector512<int> index, int n, Vector512<float> t0, Vector512<float> t1,
        Vector512<float> t2, Vector512<float> t3)
    {
        if (n <= 16) return Avx512F.PermuteVar16x32(t0, index);
        Vector512<float> low = Avx512F.PermuteVar16x32x2(t0, index, t1);
        if (n <= 32) return low;
        Vector512<float> high = Avx512F.PermuteVar16x32x2(t2, index, t3);
        return Vector512.ConditionalSelect(Vector512.Equals(index & Vector512.Create(32), Vector512<int>.Zero).AsSingle(), low, high);
    }
}
