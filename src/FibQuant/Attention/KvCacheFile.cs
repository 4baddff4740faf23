using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// Saves and loads a <see cref="CompressedKvCache{TCodec}"/>. Layout: a <see cref="KvCacheFileHeader"/> (magic, version,
/// d, both codebook fingerprints, encoded sizes, norm formats, token count, full-precision token count, header
/// checksum); then per token its key code and value code in the codecs' encoded form, followed for the last
/// full-precision tokens by the fp32 key and value (little-endian); then an XxHash64 of that payload.
/// Loading checks every header field against the target cache and the stream length before reading tokens, reads
/// through fixed-size buffers (nothing is sized from the file), and on any failure leaves the cache empty and throws
/// <see cref="InvalidDataException"/> with a message naming what is wrong.
/// </summary>
public static class KvCacheFile
{
    private const string Kind = "KV cache file";

    /// <summary>Writes <paramref name="cache"/> to <paramref name="stream"/>.</summary>
    public static void Save<TCodec>(Stream stream, CompressedKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(cache);
        using SingleCallerGuard.Scope use = cache.EnterExclusive();
        TCodec keys = cache.KeyCodec, values = cache.ValueCodec;
        int exact = cache.Count - cache.FullPrecisionStart;
        var header = new KvCacheFileHeader(cache.HeadDimension, keys.Fingerprint, values.Fingerprint, keys.EncodedSize,
            values.EncodedSize, keys.NormFormat, values.NormFormat, cache.Count, exact);
        Span<byte> head = stackalloc byte[KvCacheFileHeader.Size];
        header.Write(head);
        stream.Write(head);

        int d = cache.HeadDimension;
        byte[] keyCode = new byte[keys.EncodedSize], valueCode = new byte[values.EncodedSize], floats = new byte[d * sizeof(float)];
        var hash = new XxHash64();
        for (int t = 0; t < cache.Count; t++)
        {
            cache.CopyEncodedKey(t, keyCode);
            cache.CopyEncodedValue(t, valueCode);
            CacheFileIo.Emit(stream, hash, keyCode);
            CacheFileIo.Emit(stream, hash, valueCode);
            if (t >= cache.FullPrecisionStart)
            {
                CacheFileIo.Emit(stream, hash, CacheFileIo.FloatBytes(cache.WindowKey(t), floats));
                CacheFileIo.Emit(stream, hash, CacheFileIo.FloatBytes(cache.WindowValue(t), floats));
            }
        }

        Span<byte> sum = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(sum, hash.GetCurrentHashAsUInt64());
        stream.Write(sum);
    }

    /// <summary>Writes <paramref name="cache"/> to the file at <paramref name="path"/> (created or overwritten).</summary>
    public static void Save<TCodec>(string path, CompressedKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        using FileStream stream = File.Create(path);
        Save(stream, cache);
    }

    /// <summary>
    /// Replaces the contents of <paramref name="cache"/> with the tokens in <paramref name="stream"/>. The cache must use
    /// the codebooks (fingerprints), d, norm formats and encoded sizes the file was written with, and a full-precision
    /// window at least as large as the file's.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The stream is not a KV cache file, has an unsupported version, was written with other codebooks or settings,
    /// is truncated, or is corrupt (header or payload checksum, reserved header bytes, norm header, index padding, a NaN or
    /// infinite full-precision value). The cache is then empty.
    /// </exception>
    public static void Load<TCodec>(Stream stream, CompressedKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(cache);
        using SingleCallerGuard.Scope use = cache.EnterExclusive();
        cache.Clear();
        try
        {
            LoadCore(stream, cache);
        }
        catch
        {
            cache.Clear();
            throw;
        }
    }

    /// <summary>Loads the file at <paramref name="path"/> into <paramref name="cache"/>; see <see cref="Load{TCodec}(Stream, CompressedKvCache{TCodec})"/>.</summary>
    public static void Load<TCodec>(string path, CompressedKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        using FileStream stream = File.OpenRead(path);
        Load(stream, cache);
    }

    private static void LoadCore<TCodec>(Stream stream, CompressedKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        Span<byte> head = stackalloc byte[KvCacheFileHeader.Size];
        CacheFileIo.ReadExactly(stream, head, "the header", Kind);
        KvCacheFileHeader header = KvCacheFileHeader.Read(head);
        Check(header, cache);

        int d = cache.HeadDimension;
        long expected = (long)header.TokenCount * (header.KeyEncodedSize + header.ValueEncodedSize)
                        + (long)header.FullPrecisionTokens * 2 * d * sizeof(float) + sizeof(ulong);
        if (stream.CanSeek && stream.Length - stream.Position < expected)
            throw new InvalidDataException(
                $"Truncated KV cache file: {header.TokenCount} tokens need {expected} bytes after the header, {stream.Length - stream.Position} remain.");

        TCodec keys = cache.KeyCodec, values = cache.ValueCodec;
        byte[] keyCode = new byte[keys.EncodedSize], valueCode = new byte[values.EncodedSize], floats = new byte[d * sizeof(float)];
        float[] key = new float[d], value = new float[d];
        int exactFrom = header.TokenCount - header.FullPrecisionTokens;
        var hash = new XxHash64();
        for (int t = 0; t < header.TokenCount; t++)
        {
            CacheFileIo.Take(stream, hash, keyCode, t, Kind);
            CacheFileIo.Take(stream, hash, valueCode, t, Kind);
            if (t >= exactFrom)
            {
                CacheFileIo.Take(stream, hash, floats, t, Kind);
                CacheFileIo.ReadFloats(floats, key, t, "key", Kind);
                CacheFileIo.Take(stream, hash, floats, t, Kind);
                CacheFileIo.ReadFloats(floats, value, t, "value", Kind);
                cache.AppendCodes(keyCode, valueCode, key, value);
            }
            else
            {
                cache.AppendCodes(keyCode, valueCode, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty);
            }
        }

        Span<byte> sum = stackalloc byte[sizeof(ulong)];
        CacheFileIo.ReadExactly(stream, sum, "the payload checksum", Kind);
        if (BinaryPrimitives.ReadUInt64LittleEndian(sum) != hash.GetCurrentHashAsUInt64())
            throw new InvalidDataException("Corrupt KV cache file: the payload checksum does not match.");
    }

    private static void Check<TCodec>(KvCacheFileHeader header, CompressedKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        TCodec keys = cache.KeyCodec, values = cache.ValueCodec;
        if (header.Dimension != cache.HeadDimension)
            throw new InvalidDataException($"KV cache file has head dimension d = {header.Dimension}; the cache has d = {cache.HeadDimension}.");
        if (header.KeyFingerprint != keys.Fingerprint)
            throw new InvalidDataException($"KV cache file keys were encoded with codebook fingerprint 0x{header.KeyFingerprint:X16}; the cache's key codebook is 0x{keys.Fingerprint:X16}.");
        if (header.ValueFingerprint != values.Fingerprint)
            throw new InvalidDataException($"KV cache file values were encoded with codebook fingerprint 0x{header.ValueFingerprint:X16}; the cache's value codebook is 0x{values.Fingerprint:X16}.");
        if (header.KeyNormFormat != keys.NormFormat || header.ValueNormFormat != values.NormFormat)
            throw new InvalidDataException($"KV cache file norm formats are {header.KeyNormFormat}/{header.ValueNormFormat}; the cache uses {keys.NormFormat}/{values.NormFormat}.");
        if (header.KeyEncodedSize != keys.EncodedSize || header.ValueEncodedSize != values.EncodedSize)
            throw new InvalidDataException($"KV cache file encoded sizes are {header.KeyEncodedSize}/{header.ValueEncodedSize} bytes; the cache's codecs use {keys.EncodedSize}/{values.EncodedSize}.");
        if (header.TokenCount < 0)
            throw new InvalidDataException($"Corrupt KV cache file: negative token count {header.TokenCount}.");
        if (header.FullPrecisionTokens < 0 || header.FullPrecisionTokens > header.TokenCount)
            throw new InvalidDataException($"Corrupt KV cache file: {header.FullPrecisionTokens} full-precision tokens for {header.TokenCount} tokens.");
        if (header.FullPrecisionTokens > cache.RecentWindow)
            throw new InvalidDataException($"KV cache file holds {header.FullPrecisionTokens} full-precision tokens; the cache's window holds {cache.RecentWindow}.");
    }
}
