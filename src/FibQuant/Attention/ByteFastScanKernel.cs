using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// Fast-scan scoring of <see cref="CodeLayout.Packed"/> codes with N ≤ 64 (N ≠ 16) straight from the packed bytes:
/// two blocks of a group are unpacked in registers (<see cref="PackedCodeBlocks.TwoBlocks"/>), their 8-bit table rows
/// (<see cref="QuantizedByteScoreTable"/>, 64 bytes each) are looked up with one two-table byte permute (vpermi2b: lanes
/// 0–31 index block i's row, lanes 32–63 block i + 1's), and the bytes are summed in 16 bits as in
/// <see cref="FastScanKernel"/>. AVX-512 VBMI only: no other x86 width has a 64-entry byte permute, so elsewhere the cache
/// keeps the exact kernel (<see cref="IsAccelerated"/> decides <see cref="CompressedKvCache{TCodec}.SupportsFastScan"/>).
/// The scalar path performs the same integer sums and float steps, so both paths return identical scores.
/// </summary>
public static class ByteFastScanKernel
{
    /// <summary>Whether the SIMD path (AVX-512 VBMI) is used on this machine.</summary>
    public static bool IsAccelerated => Avx512Vbmi.IsSupported;

    /// <summary>Whether the kernel takes a key codebook of <paramref name="codewords"/> entries and <paramref name="blocks"/> blocks stored packed.</summary>
    public static bool Supports(int codewords, int blocks) =>
        codewords is 2 or 4 or 8 or 32 or 64 && blocks is >= 1 and <= QuantizedByteScoreTable.MaxBlocks;

    /// <summary>
    /// Scores one group of 32 tokens: <paramref name="scores"/>[j] = bias + invScale · Σ_i table[i·64 + code_{j,i}].
    /// </summary>
    /// <param name="group">The group's packed codes, 4·b bytes per block (b = log2 N); bytes after them may follow.</param>
    /// <param name="table">The quantised table (<see cref="QuantizedByteScoreTable.Table"/>).</param>
    /// <param name="blocks">Blocks B.</param>
    /// <param name="bits">Bits per code, log2 N (1, 2, 3, 5 or 6).</param>
    /// <param name="bias">Added to every score.</param>
    /// <param name="invScale">Multiplies the integer sums.</param>
    /// <param name="scores">32 outputs.</param>
    /// <param name="forceScalar">Use the portable scalar path.</param>
    public static void ScoreGroup(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int blocks, int bits, float bias, float invScale,
        Span<float> scores, bool forceScalar = false) =>
        ScoreGroupCore(group, table, blocks, bits, bias, invScale, ReadOnlySpan<float>.Empty, scores, forceScalar);

    /// <summary><see cref="ScoreGroup"/> with each score multiplied by its token's norm in registers (norms: 32 entries).</summary>
    internal static void ScoreGroupTimesNorms(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int blocks, int bits, float bias,
        float invScale, ReadOnlySpan<float> norms, Span<float> scores)
    {
        if (norms.Length < 32) throw new ArgumentException("norms needs 32 entries.", nameof(norms));
        ScoreGroupCore(group, table, blocks, bits, bias, invScale, norms, scores, forceScalar: false);
    }

    private static void ScoreGroupCore(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int blocks, int bits, float bias, float invScale,
        ReadOnlySpan<float> norms, Span<float> scores, bool forceScalar)
    {
        if (bits is < 1 or > 6 or 4) throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be 1, 2, 3, 5 or 6 (N = 2 … 64, N ≠ 16).");
        if (blocks is < 1 or > QuantizedByteScoreTable.MaxBlocks)
            throw new ArgumentOutOfRangeException(nameof(blocks), blocks, $"blocks must be in [1, {QuantizedByteScoreTable.MaxBlocks}].");
        if (group.Length < blocks * PackedCodeBlocks.BlockBytes(bits)) throw new ArgumentException("group is shorter than B·4·b bytes.", nameof(group));
        if (table.Length < (blocks + 1) / 2 * 2 * QuantizedByteScoreTable.RowBytes)
            throw new ArgumentException("table is shorter than its padded rows of 64 bytes.", nameof(table));
        if (scores.Length < 32) throw new ArgumentException("scores needs 32 entries.", nameof(scores));

        if (forceScalar || !Avx512Vbmi.IsSupported) Scalar(group, table, blocks, bits, bias, invScale, scores, norms);
        else if (group.Length >= PackedCodeBlocks.ReadLength(blocks, bits)) Simd(group, table, blocks, bits, bias, invScale, scores, norms);
        else
        {
            // The page's last group: the 64-byte reads would pass the end, so they read a padded copy.
            Span<byte> padded = stackalloc byte[PackedCodeBlocks.ReadLength(blocks, bits)];
            padded.Clear();
            group.Slice(0, blocks * PackedCodeBlocks.BlockBytes(bits)).CopyTo(padded);
            Simd(padded, table, blocks, bits, bias, invScale, scores, norms);
        }
    }

    private static void Scalar(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int blocks, int bits, float bias, float invScale,
        Span<float> scores, ReadOnlySpan<float> norms)
    {
        Span<int> sums = stackalloc int[32];
        sums.Clear();
        int blockBytes = PackedCodeBlocks.BlockBytes(bits);
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = group.Slice(i * blockBytes, blockBytes);
            ReadOnlySpan<byte> row = table.Slice(i * QuantizedByteScoreTable.RowBytes, QuantizedByteScoreTable.RowBytes);
            for (int j = 0; j < 32; j++) sums[j] += row[PackedCodeBlocks.Read(block, j, bits)];
        }

        for (int j = 0; j < 32; j++) scores[j] = norms.IsEmpty ? bias + invScale * sums[j] : (bias + invScale * sums[j]) * norms[j];
    }

    private static void Simd(ReadOnlySpan<byte> group, ReadOnlySpan<byte> table, int blocks, int bits, float bias, float invScale,
        Span<float> scores, ReadOnlySpan<float> norms)
    {
        Vector512<byte> arrange = PackedCodeBlocks.Arrangement(bits), shifts = PackedCodeBlocks.Shifts(bits);
        Vector512<byte> mask = Vector512.Create((byte)((1 << bits) - 1));
        // Bit 6 of the index picks vpermi2b's second table: block i + 1's row for lanes 32–63.
        Vector512<byte> upper = Vector512.Create(Vector256<byte>.Zero, Vector256.Create((byte)64));
        ref byte lut = ref MemoryMarshal.GetReference(table);
        int blockBytes = PackedCodeBlocks.BlockBytes(bits);
        // As in FastScanKernel: the looked-up bytes are added as 16-bit words (even lane + 256·odd lane) and, shifted down,
        // as the odd lanes alone; even = words − 256·odd afterwards. Every sum stays below 2^16, so the modulo-2^16
        // arithmetic gives the scalar path's exact integer sums.
        Vector512<ushort> pairs = default, odd = default;
        // group holds at least ReadLength bytes: every 64-byte read is in bounds (an odd B's phantom block i + 1 reads
        // bytes after the group and looks them up in the zero pad row).
        ref byte codes = ref MemoryMarshal.GetReference(group);
        for (int i = 0; i < blocks; i += 2)
        {
            Vector512<byte> index = (PackedCodeBlocks.TwoBlocks(Vector512.LoadUnsafe(ref codes, (nuint)(i * blockBytes)), arrange, shifts) & mask) | upper;
            Vector512<byte> row = Vector512.LoadUnsafe(ref lut, (nuint)(i * QuantizedByteScoreTable.RowBytes));
            Vector512<byte> next = Vector512.LoadUnsafe(ref lut, (nuint)((i + 1) * QuantizedByteScoreTable.RowBytes));
            Vector512<ushort> looked = Avx512Vbmi.PermuteVar64x8x2(row, index, next).AsUInt16();
            pairs += looked;
            odd += looked >>> 8;
        }

        // Lane L is token L mod 32 of block i + L / 32: word w holds tokens 2w mod 32 (even) and 2w + 1 mod 32 (odd);
        // the two halves are the two blocks of each pair.
        Vector512<ushort> even = pairs - (odd << 8);
        Vector256<ushort> e = even.GetLower() + even.GetUpper(), o = odd.GetLower() + odd.GetUpper();
        Vector256<ushort> low = Avx2.UnpackLow(e, o), high = Avx2.UnpackHigh(e, o);
        Finish(low.GetLower(), bias, invScale, scores, norms, 0);
        Finish(high.GetLower(), bias, invScale, scores, norms, 8);
        Finish(low.GetUpper(), bias, invScale, scores, norms, 16);
        Finish(high.GetUpper(), bias, invScale, scores, norms, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector128<ushort> sums, float bias, float invScale, Span<float> scores, ReadOnlySpan<float> norms, int offset)
    {
        Vector256<float> f = Vector256.ConvertToSingle(Vector256.WidenLower(sums.ToVector256Unsafe()).AsInt32());
        Vector256<float> r = Vector256.Create(bias) + f * Vector256.Create(invScale);
        if (!norms.IsEmpty) r *= Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(norms), (nuint)offset);
        r.StoreUnsafe(ref MemoryMarshal.GetReference(scores), (nuint)offset);
    }
}
