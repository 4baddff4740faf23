using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// The fixed 56-byte header of a <see cref="MixedPrecisionKvCacheFile"/>, little-endian: magic "FQMP", version (u16),
/// reserved (u16), d (i32), key and value <see cref="KvStreamStorage"/> (u8 each), key and value <see cref="NormFormat"/>
/// (u8 each; 0 for a full-precision stream), key and value codebook fingerprints (u64 each; 0 for a full-precision
/// stream), key and value bytes per stored token (i32 each), token count (i32), full-precision window token count (i32),
/// and an XxHash64 of the preceding 48 bytes.
/// </summary>
internal readonly record struct MixedPrecisionKvCacheFileHeader(
    int Dimension, KvStreamStorage KeyStorage, KvStreamStorage ValueStorage, NormFormat KeyNormFormat, NormFormat ValueNormFormat,
    ulong KeyFingerprint, ulong ValueFingerprint, int KeyStoredSize, int ValueStoredSize, int TokenCount, int WindowTokens)
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 56;

    /// <summary>The format version this code writes and reads.</summary>
    public const ushort Version = 1;

    private const uint Magic = 0x504D5146; // "FQMP" little-endian

    /// <summary>Writes the header with its checksum.</summary>
    public void Write(Span<byte> destination)
    {
        destination.Slice(0, Size).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(8), Dimension);
        destination[12] = (byte)KeyStorage;
        destination[13] = (byte)ValueStorage;
        destination[14] = (byte)KeyNormFormat;
        destination[15] = (byte)ValueNormFormat;
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(16), KeyFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(24), ValueFingerprint);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(32), KeyStoredSize);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(36), ValueStoredSize);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(40), TokenCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(44), WindowTokens);
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(48), XxHash64.HashToUInt64(destination.Slice(0, 48)));
    }

    /// <summary>Reads and checks magic, checksum, version and reserved bytes; the caller checks the fields against its cache.</summary>
    /// <exception cref="InvalidDataException">Not a mixed-precision KV cache file, a corrupt header, or an unsupported version.</exception>
    public static MixedPrecisionKvCacheFileHeader Read(ReadOnlySpan<byte> source)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
            throw new InvalidDataException("Not a FibQuant mixed-precision KV cache file: the magic bytes are not \"FQMP\".");
        if (BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(48)) != XxHash64.HashToUInt64(source.Slice(0, 48)))
            throw new InvalidDataException("Corrupt mixed-precision KV cache file: the header checksum does not match.");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(4));
        if (version != Version)
            throw new InvalidDataException($"Unsupported mixed-precision KV cache file version {version}; this library reads version {Version}.");
        if (BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(6)) != 0)
            throw new InvalidDataException("Corrupt mixed-precision KV cache file: reserved header bytes 6–7 must be zero.");
        return new MixedPrecisionKvCacheFileHeader(
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(8)),
            (KvStreamStorage)source[12],
            (KvStreamStorage)source[13],
            (NormFormat)source[14],
            (NormFormat)source[15],
            BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(16)),
            BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(24)),
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(32)),
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(36)),
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(40)),
            BinaryPrimitives.ReadInt32LittleEndian(source.Slice(44)));
    }
}
