using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;

namespace FibQuant.Attention;

/// <summary>
/// Byte-level reading and writing shared by the KV cache file formats: every payload byte goes through the running
/// checksum, and a short stream or a non-finite stored value is reported as an <see cref="InvalidDataException"/>
/// that names the file kind (<c>kind</c>, e.g. "KV cache file").
/// </summary>
internal static class CacheFileIo
{
    public static void Emit(Stream stream, XxHash64 hash, ReadOnlySpan<byte> bytes)
    {
        hash.Append(bytes);
        stream.Write(bytes);
    }

    public static ReadOnlySpan<byte> FloatBytes(ReadOnlySpan<float> values, byte[] buffer)
    {
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), values[i]);
        return buffer;
    }

    /// <summary>Reads a full-precision vector; NaN or ±∞ is refused (a checksum can be recomputed, so it proves nothing about values).</summary>
    public static void ReadFloats(ReadOnlySpan<byte> bytes, Span<float> values, int token, string what, string kind)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
            if (!float.IsFinite(v))
                throw new InvalidDataException($"Corrupt {kind}: token {token}'s full-precision {what} holds {v} at index {i}; only finite values are stored.");
            values[i] = v;
        }
    }

    /// <summary>Reads one token's bytes into <paramref name="buffer"/> and adds them to the checksum.</summary>
    public static void Take(Stream stream, XxHash64 hash, Span<byte> buffer, int token, string kind)
    {
        ReadExactly(stream, buffer, $"token {token}", kind);
        hash.Append(buffer);
    }

    public static void ReadExactly(Stream stream, Span<byte> buffer, string what, string kind)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Truncated {kind}: the stream ends inside {what}.", e);
        }
    }
}
