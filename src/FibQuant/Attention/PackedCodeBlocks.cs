using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// Blocks of <see cref="CodeLayout.Packed"/> codes: the 32 codes of one block of one token group packed back to back,
/// code j in bits [j·b, j·b + b) of 4·b little-endian bytes (b = log2 N). Unpacking to one byte per code
/// (<see cref="CodeLayout.Bytes"/>, b ≤ 8) or one 16-bit value per code (<see cref="CodeLayout.UInt16"/>, b &gt; 8)
/// lets the byte and 16-bit kernels run on the codes. For b ≤ 8 the eight codes of each 64-bit word lie in b bytes, so on
/// AVX-512 VBMI two blocks unpack with one byte permute (vpermb: bytes to their word) and one multishift
/// (vpmultishiftqb: each byte takes the 8 bits at its code's offset); elsewhere BMI2 pdep spreads each word's eight codes
/// over eight bytes, or shifts do where BMI2 is missing.
/// </summary>
internal static class PackedCodeBlocks
{
    private static readonly Vector512<byte>[] s_arrange = Controls(BuildArrangement);
    private static readonly Vector512<byte>[] s_shifts = Controls(BuildShifts);

    /// <summary>Codes per block (one token group).</summary>
    public const int Codes = PagedCodes.GroupTokens;

    /// <summary>Bytes of one packed block: 32 codes of <paramref name="bits"/> bits.</summary>
    public static int BlockBytes(int bits) => 4 * bits;

    /// <summary>Whether two blocks unpack in one AVX-512 VBMI step on this machine (b ≤ 8).</summary>
    public static bool IsAccelerated(int bits) => bits <= 8 && Avx512Vbmi.IsSupported;

    /// <summary>Code <paramref name="lane"/> of a packed block.</summary>
    public static int Read(ReadOnlySpan<byte> block, int lane, int bits)
    {
        int offset = lane * bits, first = offset >> 3, last = (offset + bits - 1) >> 3;
        int window = 0;
        for (int i = last; i >= first; i--) window = (window << 8) | block[i];
        return (window >> (offset & 7)) & ((1 << bits) - 1);
    }

    /// <summary>Stores <paramref name="code"/> (below 2^bits) as code <paramref name="lane"/> of a packed block.</summary>
    public static void Write(Span<byte> block, int lane, int bits, int code)
    {
        int offset = lane * bits;
        for (int bit = 0; bit < bits;)
        {
            int at = offset + bit, shift = at & 7, take = Math.Min(8 - shift, bits - bit);
            int mask = ((1 << take) - 1) << shift;
            ref byte b = ref block[at >> 3];
            b = (byte)((b & ~mask) | (((code >> bit) << shift) & mask));
            bit += take;
        }
    }

    /// <summary>
    /// Unpacks the <paramref name="blocks"/> packed blocks of one group (b ≤ 8) to one byte per code, block i at
    /// destination[i·32 .. i·32 + 32). Paths, all giving the same bytes: AVX-512 VBMI two blocks at a time; else BMI2
    /// pdep, which deposits a 64-bit word's eight b-bit codes into the low b bits of eight bytes in one instruction; else
    /// shifts.
    /// </summary>
    /// <param name="group">The group's packed codes (bytes after them may follow: the SIMD path then reads in place).</param>
    /// <param name="blocks">Blocks B.</param>
    /// <param name="bits">Bits per code, 1 to 8.</param>
    /// <param name="destination">B·32 bytes.</param>
    /// <param name="path">0: the best this machine has; 1: no VBMI (pdep where BMI2 is present); 2: shifts only.</param>
    public static void UnpackBytes(ReadOnlySpan<byte> group, int blocks, int bits, Span<byte> destination, int path = 0)
    {
        int blockBytes = BlockBytes(bits);
        if (bits is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be in [1, 8] for byte codes.");
        if (group.Length < blocks * blockBytes) throw new ArgumentException($"group is shorter than B·{blockBytes} bytes.", nameof(group));
        if (destination.Length < blocks * Codes) throw new ArgumentException("destination is shorter than B·32 bytes.", nameof(destination));
        int i = 0;
        if (path == 0 && Avx512Vbmi.IsSupported)
        {
            if (group.Length < ReadLength(blocks, bits))
            {
                // The page's last group: the 64-byte reads would pass the end, so they read a padded copy.
                Span<byte> padded = stackalloc byte[ReadLength(blocks, bits)];
                padded.Clear();
                group.Slice(0, blocks * blockBytes).CopyTo(padded);
                UnpackPairs(padded, blocks, bits, destination);
            }
            else UnpackPairs(group, blocks, bits, destination);

            i = blocks & ~1;
        }

        ulong mask = (1UL << bits) - 1;
        // 0x3F3F… for b = 6: b low bits of every byte.
        ulong deposit = mask * 0x0101010101010101UL;
        bool pdep = path <= 1 && Bmi2.X64.IsSupported;
        for (; i < blocks; i++)
        {
            Span<byte> codes = destination.Slice(i * Codes, Codes);
            for (int q = 0; q < 4; q++)
            {
                // Codes 8q … 8q + 7 lie in the b bytes from (block i, byte q·b).
                int at = i * blockBytes + q * bits;
                ulong word;
                if (at + sizeof(ulong) <= group.Length) word = BinaryPrimitives.ReadUInt64LittleEndian(group.Slice(at));
                else
                {
                    word = 0;
                    for (int p = bits - 1; p >= 0; p--) word = (word << 8) | group[at + p];
                }

                if (pdep) BinaryPrimitives.WriteUInt64LittleEndian(codes.Slice(q * 8), Bmi2.X64.ParallelBitDeposit(word, deposit));
                else
                    for (int m = 0; m < 8; m++) codes[q * 8 + m] = (byte)((word >> (m * bits)) & mask);
            }
        }
    }

    /// <summary>Unpacks the packed blocks of one group (any b ≤ 16) to one 16-bit value per code, block i at destination[i·32 ..).</summary>
    public static void UnpackWide(ReadOnlySpan<byte> group, int blocks, int bits, Span<ushort> destination)
    {
        int blockBytes = BlockBytes(bits);
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> block = group.Slice(i * blockBytes, blockBytes);
            Span<ushort> codes = destination.Slice(i * Codes, Codes);
            for (int j = 0; j < Codes; j++) codes[j] = (ushort)Read(block, j, bits);
        }
    }

    /// <summary>
    /// Bytes a two-block SIMD loop over <paramref name="blocks"/> blocks reads: 64 from each even block's start (so a
    /// span this long needs no bounds care; a shorter one is copied into a padded buffer first).
    /// </summary>
    public static int ReadLength(int blocks, int bits) => (blocks - 1) / 2 * 2 * BlockBytes(bits) + Vector512<byte>.Count;

    // Kept apart from the padding copy: a call or stackalloc in the loop's method makes the JIT keep the loop's vectors on the stack.
    private static void UnpackPairs(ReadOnlySpan<byte> group, int blocks, int bits, Span<byte> destination)
    {
        Vector512<byte> arrange = Arrangement(bits), shifts = Shifts(bits), mask = Vector512.Create((byte)((1 << bits) - 1));
        ref byte source = ref MemoryMarshal.GetReference(group);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        int blockBytes = BlockBytes(bits);
        for (int i = 0; i + 1 < blocks; i += 2)
        {
            Vector512<byte> codes = TwoBlocks(Vector512.LoadUnsafe(ref source, (nuint)(i * blockBytes)), arrange, shifts) & mask;
            codes.StoreUnsafe(ref target, (nuint)(i * Codes));
        }
    }

    /// <summary>
    /// Blocks i and i + 1 of a group (b ≤ 8) from the 64 bytes starting at block i (<paramref name="raw"/>; only the
    /// first 8·b are used): lane L holds code L mod 32 of block i + L / 32 in its low b bits; the bits above are the next
    /// codes' (mask them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> TwoBlocks(Vector512<byte> raw, Vector512<byte> arrange, Vector512<byte> shifts) =>
        Avx512Vbmi.MultiShift(shifts, Avx512Vbmi.PermuteVar64x8(raw, arrange).AsUInt64());

    /// <summary>The vpermb control of <see cref="TwoBlocks"/> for b = <paramref name="bits"/> ≤ 8 (built once per b).</summary>
    public static Vector512<byte> Arrangement(int bits) => s_arrange[bits];

    /// <summary>The vpmultishiftqb control of <see cref="TwoBlocks"/> for b = <paramref name="bits"/> ≤ 8.</summary>
    public static Vector512<byte> Shifts(int bits) => s_shifts[bits];

    /// <summary>
    /// 64-bit word q (codes 8·(q mod 4) .. +7 of block q / 4) takes the bytes (q / 4)·4b + (q mod 4)·b + p, p &lt; 8;
    /// for b ≤ 8 every source byte is below 8·b ≤ 64.
    /// </summary>
    private static Vector512<byte> BuildArrangement(int bits)
    {
        Span<byte> control = stackalloc byte[64];
        for (int lane = 0; lane < 64; lane++)
        {
            int word = lane / 8, p = lane % 8;
            control[lane] = (byte)Math.Min(63, word / 4 * BlockBytes(bits) + word % 4 * bits + p);
        }

        return Vector512.Create((ReadOnlySpan<byte>)control);
    }

    /// <summary>Byte m of each 64-bit word starts at bit m·b.</summary>
    private static Vector512<byte> BuildShifts(int bits)
    {
        Span<byte> control = stackalloc byte[64];
        for (int lane = 0; lane < 64; lane++) control[lane] = (byte)(lane % 8 * bits);
        return Vector512.Create((ReadOnlySpan<byte>)control);
    }

    private static Vector512<byte>[] Controls(Func<int, Vector512<byte>> build)
    {
        var controls = new Vector512<byte>[9];
        for (int bits = 1; bits <= 8; bits++) controls[bits] = build(bits);
        return controls;
    }
}
