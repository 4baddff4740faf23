using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Coding;

/// <summary>
/// Packs codeword indices of a fixed width (1…16 bits) back to back, least significant bit first; the last byte's
/// unused high bits are zero, and a reader rejects data where they are not.
/// </summary>
public static class BitPacking
{
    /// <summary>Bytes needed for <paramref name="count"/> indices of <paramref name="bits"/> bits.</summary>
    public static int PackedLength(int count, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckBits(bits);
        return (int)(((long)count * bits + 7) / 8);
    }

    /// <summary>Packs <paramref name="indices"/> into exactly <see cref="PackedLength"/> bytes of <paramref name="destination"/>.</summary>
    public static void Pack(ReadOnlySpan<ushort> indices, int bits, Span<byte> destination)
    {
        int length = PackedLength(indices.Length, bits);
        if (destination.Length != length)
            throw new ArgumentException($"destination must have {length} bytes for {indices.Length} indices of {bits} bits, got {destination.Length}.", nameof(destination));
        int limit = 1 << bits;
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] >= limit)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"index at {i} must be below 2^{bits} = {limit}.");
        }

        PackCore(ref MemoryMarshal.GetReference(indices), indices.Length, bits, ref MemoryMarshal.GetReference(destination));
    }

    /// <summary>Unpacks <paramref name="indices"/>.Length indices; throws <see cref="InvalidDataException"/> on non-zero padding.</summary>
    public static void Unpack(ReadOnlySpan<byte> source, int bits, Span<ushort> indices)
    {
        int length = PackedLength(indices.Length, bits);
        if (source.Length != length)
            throw new ArgumentException($"source must have {length} bytes for {indices.Length} indices of {bits} bits, got {source.Length}.", nameof(source));
        UnpackCore(ref MemoryMarshal.GetReference(source), indices.Length, bits, ref MemoryMarshal.GetReference(indices));
    }

    /// <summary>
    /// Packs the d/k indices of one code. The indices come from a search, so they are below N = 2^bits and are not checked
    /// again. Over a generated layout the width and count are constants and only one packing loop remains.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PackCode<TDims>(in TDims dims, ReadOnlySpan<ushort> indices, Span<byte> destination) where TDims : struct, ICodecDimensions =>
        PackCore(ref MemoryMarshal.GetReference(indices), dims.Dimension / dims.BlockSize, dims.IndexBits, ref MemoryMarshal.GetReference(destination));

    /// <summary>Unpacks the d/k indices of one code (source holds exactly their packed bytes); throws on non-zero padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void UnpackCode<TDims>(in TDims dims, ReadOnlySpan<byte> source, Span<ushort> indices) where TDims : struct, ICodecDimensions =>
        UnpackCore(ref MemoryMarshal.GetReference(source), dims.Dimension / dims.BlockSize, dims.IndexBits, ref MemoryMarshal.GetReference(indices));

    // Indices < 2^bits. The 2-, 4- and 8-bit layouts (TurboQuant b = 2, k = 2 N = 16, N = 256) move four or sixteen
    // indices per step; the bytes are those of the general loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackCore(ref ushort indices, int count, int bits, ref byte destination)
    {
        int done = bits switch
        {
            2 => PackQuarters(ref indices, count, ref destination),
            4 => PackNibbles(ref indices, count, ref destination),
            8 => PackBytes(ref indices, count, ref destination),
            _ => 0,
        };
        if (done < count) PackGeneral(ref indices, done, count, bits, ref destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UnpackCore(ref byte source, int count, int bits, ref ushort indices)
    {
        int done = bits switch
        {
            2 => UnpackQuarters(ref source, count, ref indices),
            4 => UnpackNibbles(ref source, count, ref indices),
            8 => UnpackBytes(ref source, count, ref indices),
            _ => 0,
        };
        if (done < count) UnpackGeneral(ref source, done, count, bits, ref indices);
    }

    // Starts at index `from`, a multiple of 8, so at a byte boundary.
    private static void PackGeneral(ref ushort indices, int from, int count, int bits, ref byte destination)
    {
        ulong buffer = 0;
        int filled = 0;
        int written = from * bits / 8;
        for (int i = from; i < count; i++)
        {
            buffer |= (ulong)Unsafe.Add(ref indices, i) << filled;
            filled += bits;
            while (filled >= 8)
            {
                Unsafe.Add(ref destination, written++) = (byte)buffer;
                buffer >>= 8;
                filled -= 8;
            }
        }

        if (filled > 0) Unsafe.Add(ref destination, written) = (byte)buffer;
    }

    private static void UnpackGeneral(ref byte source, int from, int count, int bits, ref ushort indices)
    {
        ulong mask = (1UL << bits) - 1;
        ulong buffer = 0;
        int filled = 0;
        int read = from * bits / 8;
        for (int i = from; i < count; i++)
        {
            while (filled < bits)
            {
                buffer |= (ulong)Unsafe.Add(ref source, read++) << filled;
                filled += 8;
            }

            Unsafe.Add(ref indices, i) = (ushort)(buffer & mask);
            buffer >>= bits;
            filled -= bits;
        }

        if (buffer != 0)
            throw new InvalidDataException("Corrupt encoded vector: the padding bits after the last index are not zero.");
    }

    // Eight indices (two 64-bit words of four 16-bit lanes) → two bytes: lane l moves down by 14·l bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackQuarters(ref ushort indices, int count, ref byte destination)
    {
        int whole = count & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, i)));
            ulong w = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, i + 4)));
            ulong low = v | (v >> 14) | (v >> 28) | (v >> 42), high = w | (w >> 14) | (w >> 28) | (w >> 42);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i / 4), (ushort)((low & 0xFF) | ((high & 0xFF) << 8)));
        }

        return whole;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UnpackQuarters(ref byte source, int count, ref ushort indices)
    {
        int whole = count & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            ulong pair = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref source, i / 4));
            ulong low = pair & 0xFF, high = pair >> 8;
            ulong v = (low | (low << 14) | (low << 28) | (low << 42)) & 0x0003_0003_0003_0003UL;
            ulong w = (high | (high << 14) | (high << 28) | (high << 42)) & 0x0003_0003_0003_0003UL;
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, i)), v);
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, i + 4)), w);
        }

        return whole;
    }

    // Four indices → two bytes: lanes a, b, c, d at bits 0, 16, 32, 48 move to 0, 4, 8, 12.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackNibbles(ref ushort indices, int count, ref byte destination)
    {
        int whole = count & ~7;
        for (int i = 0; i < whole; i += 4)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, i)));
            ulong t = v | (v >> 12);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i / 2), (ushort)((t & 0xFF) | ((t >> 24) & 0xFF00)));
        }

        return whole;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UnpackNibbles(ref byte source, int count, ref ushort indices)
    {
        int whole = count & ~7;
        for (int i = 0; i < whole; i += 4)
        {
            ulong w = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref source, i / 2));
            ulong v = (w | (w << 12) | (w << 24) | (w << 36)) & 0x000F_000F_000F_000FUL;
            Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, i)), v);
        }

        return whole;
    }

    // Sixteen indices per narrowing (a plain truncation of each 16-bit lane) on every path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackBytes(ref ushort indices, int count, ref byte destination)
    {
        int whole = count & ~15;
        for (int i = 0; i < whole; i += 16)
        {
            Vector128<ushort> low = Vector128.LoadUnsafe(ref indices, (nuint)i), high = Vector128.LoadUnsafe(ref indices, (nuint)i + 8);
            Vector128.Narrow(low, high).StoreUnsafe(ref destination, (nuint)i);
        }

        return whole;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int UnpackBytes(ref byte source, int count, ref ushort indices)
    {
        int whole = count & ~15;
        for (int i = 0; i < whole; i += 16)
        {
            (Vector128<ushort> low, Vector128<ushort> high) = Vector128.Widen(Vector128.LoadUnsafe(ref source, (nuint)i));
            low.StoreUnsafe(ref indices, (nuint)i);
            high.StoreUnsafe(ref indices, (nuint)i + 8);
        }

        return whole;
    }

    private static void CheckBits(int bits)
    {
        if (bits < 1 || bits > 16)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Index width must be in [1, 16] bits.");
    }
}
