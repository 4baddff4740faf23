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

    private static void CheckBits(int bits)
    {
        if (bits < 1 || bits > 16)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Index width must be in [1, 16] bits.");
    }
}
