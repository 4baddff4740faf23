using System;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace FibQuant.Coding;

/// <summary>
/// A self-describing container for a run of encoded vectors, so codes can be stored or sent on their own and never
/// decoded with the wrong codebook. Layout, little-endian:
/// magic "FQEB" (4 bytes), version (u16), <see cref="Coding.NormFormat"/> (u8), reserved (u8, zero), codebook
/// fingerprint (u64), d (i32), encoded size per vector (i32), vector count (i32) — <see cref="HeaderSize"/> bytes —
/// then count × encoded size bytes of codes, then an XxHash64 of everything before it.
/// Write with <see cref="EncodedBlockWriter"/>; read with <see cref="EncodedBlockReader"/>, which checks every header
/// field against the input length and the codec before touching the payload or allocating anything.
/// </summary>
public static class EncodedBlock
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 28;

    /// <summary>Bytes of the trailing checksum.</summary>
    public const int ChecksumSize = sizeof(ulong);

    /// <summary>The format version this library writes and reads.</summary>
    public const ushort Version = 1;

    /// <summary>The magic number, "FQEB" read as a little-endian u32.</summary>
    public const uint Magic = 0x42455146;

    /// <summary>Total container size for <paramref name="count"/> vectors of <paramref name="encodedSize"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative argument, or a container beyond 2 GiB.</exception>
    public static int Size(int encodedSize, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(encodedSize);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long size = HeaderSize + (long)count * encodedSize + ChecksumSize;
        if (size > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} vectors of {encodedSize} bytes exceed the largest container ({Array.MaxLength} bytes).");
        return (int)size;
    }

    internal static void WriteHeader(Span<byte> destination, NormFormat normFormat, ulong fingerprint, int dimension, int encodedSize, int count)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(4), Version);
        destination[6] = (byte)normFormat;
        destination[7] = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(8), fingerprint);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(16), dimension);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(20), encodedSize);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(24), count);
    }

    internal static ulong Checksum(ReadOnlySpan<byte> headerAndPayload) => XxHash64.HashToUInt64(headerAndPayload);
}
