using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// The fixed 56-byte header of a <see cref="KvCacheFile"/>, little-endian: magic "FQKV", version (u16), reserved (u16),
/// d (i32), key and value codebook fingerprints (u64 each), key and value encoded sizes (i32 each), key and value
/// <see cref="NormFormat"/> (u8 each), reserved (u16), token count (i32), full-precision token count (i32), and an
/// XxHash64 of the preceding 48 bytes.
/// </summary>
internal readonly record struct KvCacheFileHeader(
    int Dimension, ulong KeyFingerprint, ulong ValueFingerprint, int KeyEncodedSize, int ValueEncodedSize,
    NormFormat KeyNormFormat, NormFormat ValueNormFormat, int TokenCount, int FullPrecisionTokens)
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 56;

    /// <summary>The format version this code writes and reads.</summary>
    public const ushort Version = 1;

    private const uint Magic = 0x564B5146; // "FQKV" little-endian

    /// <summary>Writes the header with its checksum.</summary>
    public void Write(Span<byte> destination)
    {
        destination.Slice(0, Size).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(8), Dimension);
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(12), KeyFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(20), ValueFingerprint);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(28), KeyEncodedSize);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(32), ValueEncodedSize);
        destination[36] = (byte)KeyNormFormat;
        destination[37] = (byte)ValueNormFormat;
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(40), TokenCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(44), FullPrecisionTokens);
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(48), XxHash64.HashToUInt64(destination.Slice(0, 48)));
    }

    /// <summary>Reads and checks magic, checksum, version and reserved bytes; the caller checks the fields against its cache.</summary>
    /// <exception cref="InvalidDataException">Not a KV cache file, a corrupt header, or an unsupported version.</exception>
    public static KvCacheFileHeader Read(ReadOnlySpan<byte> source)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
            throw new InvalidDataException("Not a FibQuant KV cache file: the magic bytes are not \"FQKV\".");
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(48));
        if (stored != XxHash64.HashToUInt64(source.Slice(0, 48)))
            throw new InvalidDataException("Corrupt KV cache file: the header checksum does not match.");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(4));
        if (version != Version)
            throw new InvalidDataException($"Unsupported KV cache file version {version}; this library reads version {Version}.");
        if (BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(6)) != 0 || BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(38)) != 0)
            throw new InvalidDataException("Corrupt KV cache file: reserved header bytes 6–7 and 38–39 must be zero.");
        return new KvCacheFileHeader(
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(12)),
            BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(20)),
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(28)),
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(32)),
            (NormFormat)source[36],
            (NormFormat)source[37],
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(40)),
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(44)));
    }
}
