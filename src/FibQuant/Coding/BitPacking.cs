using System;
using System.IO;

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
        if ((bits == 4 || bits == 8) && PackNibblesOrBytes(indices, bits, destination)) return;
        if (bits == 2 && PackQuarters(indices, destination)) return;
        int limit = 1 << bits;
        ulong buffer = 0;
        int filled = 0;
        int written = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if (index >= limit)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"index at {i} must be below 2^{bits} = {limit}.");
            buffer |= (ulong)index << filled;
            filled += bits;
            while (filled >= 8)
            {
                destination[written++] = (byte)buffer;
                buffer >>= 8;
                filled -= 8;
            }
        }

        if (filled > 0) destination[written] = (byte)buffer;
    }

    /// <summary>Unpacks <paramref name="indices"/>.Length indices; throws <see cref="InvalidDataException"/> on non-zero padding.</summary>
    public static void Unpack(ReadOnlySpan<byte> source, int bits, Span<ushort> indices)
    {
        int length = PackedLength(indices.Length, bits);
        if (source.Length != length)
            throw new ArgumentException($"source must have {length} bytes for {indices.Length} indices of {bits} bits, got {source.Length}.", nameof(source));
        if (bits == 4 || bits == 8)
        {
            UnpackNibblesOrBytes(source, bits, indices);
            return;
        }

        if (bits == 2)
        {
            UnpackQuarters(source, indices);
            return;
        }

        ulong mask = (1UL << bits) - 1;
        ulong buffer = 0;
        int filled = 0;
        int read = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            while (filled < bits)
            {
                buffer |= (ulong)source[read++] << filled;
                filled += 8;
            }

            indices[i] = (ushort)(buffer & mask);
            buffer >>= bits;
            filled -= bits;
        }

        if (buffer != 0)
            throw new InvalidDataException("Corrupt encoded vector: the padding bits after the last index are not zero.");
    }

    // 4- and 8-bit fast paths (the common b = 2, k = 2 and N = 256 layouts): same bytes as the general loop.
    // Returns false, having written nothing useful, when an index is out of range, so the general loop reports it.
    private static bool PackNibblesOrBytes(ReadOnlySpan<ushort> indices, int bits, Span<byte> destination)
    {
        int seen = 0;
        if (bits == 8)
        {
            for (int i = 0; i < indices.Length; i++)
            {
                seen |= indices[i];
                destination[i] = (byte)indices[i];
            }

            return seen < 256;
        }

        int pairs = indices.Length >> 1;
        for (int p = 0; p < pairs; p++)
        {
            int low = indices[2 * p], high = indices[2 * p + 1];
            seen |= low | high;
            destination[p] = (byte)(low | (high << 4));
        }

        if ((indices.Length & 1) != 0)
        {
            int last = indices[indices.Length - 1];
            seen |= last;
            destination[pairs] = (byte)last;
        }

        return seen < 16;
    }

    private static void UnpackNibblesOrBytes(ReadOnlySpan<byte> source, int bits, Span<ushort> indices)
    {
        if (bits == 8)
        {
            for (int i = 0; i < indices.Length; i++) indices[i] = source[i];
            return;
        }

        int pairs = indices.Length >> 1;
        for (int p = 0; p < pairs; p++)
        {
            int value = source[p];
            indices[2 * p] = (ushort)(value & 15);
            indices[2 * p + 1] = (ushort)(value >> 4);
        }

        if ((indices.Length & 1) != 0)
        {
            int value = source[pairs];
            if ((value >> 4) != 0)
                throw new InvalidDataException("Corrupt encoded vector: the padding bits after the last index are not zero.");
            indices[indices.Length - 1] = (ushort)(value & 15);
        }
    }

    // 2-bit fast path (TurboQuant b = 2): four indices per byte, same bytes as the general loop; false on an index ≥ 4.
    private static bool PackQuarters(ReadOnlySpan<ushort> indices, Span<byte> destination)
    {
        int seen = 0;
        int whole = indices.Length >> 2;
        for (int q = 0; q < whole; q++)
        {
            ReadOnlySpan<ushort> four = indices.Slice(4 * q, 4);
            int a = four[0], b = four[1], c = four[2], d = four[3];
            seen |= a | b | c | d;
            destination[q] = (byte)(a | (b << 2) | (c << 4) | (d << 6));
        }

        int rest = indices.Length - 4 * whole;
        if (rest > 0)
        {
            int value = 0;
            for (int i = 0; i < rest; i++)
            {
                int index = indices[4 * whole + i];
                seen |= index;
                value |= index << (2 * i);
            }

            destination[whole] = (byte)value;
        }

        return seen < 4;
    }

    private static void UnpackQuarters(ReadOnlySpan<byte> source, Span<ushort> indices)
    {
        int whole = indices.Length >> 2;
        for (int q = 0; q < whole; q++)
        {
            int value = source[q];
            Span<ushort> four = indices.Slice(4 * q, 4);
            four[0] = (ushort)(value & 3);
            four[1] = (ushort)((value >> 2) & 3);
            four[2] = (ushort)((value >> 4) & 3);
            four[3] = (ushort)(value >> 6);
        }

        int rest = indices.Length - 4 * whole;
        if (rest > 0)
        {
            int value = source[whole];
            if ((value >> (2 * rest)) != 0)
                throw new InvalidDataException("Corrupt encoded vector: the padding bits after the last index are not zero.");
            for (int i = 0; i < rest; i++) indices[4 * whole + i] = (ushort)((value >> (2 * i)) & 3);
        }
    }

    private static void CheckBits(int bits)
    {
        if (bits < 1 || bits > 16)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Index width must be in [1, 16] bits.");
    }
}
