using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// Saves and loads a <see cref="MixedPrecisionKvCache{TCodec}"/>. Layout: a <see cref="MixedPrecisionKvCacheFileHeader"/>
/// (magic, version, d, each stream's storage, norm format, codebook fingerprint and bytes per token, token count, window
/// token count, header checksum); then per token its key and value in stored form — fp32 or fp16 components
/// little-endian, or the codec's encoded form — followed, for the tokens in the full-precision window, by the fp32 key
/// (if the keys are compressed) and the fp32 value (if the values are compressed); then an XxHash64 of that payload.
/// Loading checks every header field against the target cache and the stream length before reading tokens, reads
/// through fixed-size buffers (nothing is sized from the file), and on any failure leaves the cache empty and throws
/// <see cref="InvalidDataException"/> with a message naming what is wrong. (A cache with both streams compressed can
/// also be a <see cref="CompressedKvCache{TCodec}"/>, saved by <see cref="KvCacheFile"/>.)
/// </summary>
public static class MixedPrecisionKvCacheFile
{
    private const string Kind = "mixed-precision KV cache file";

    /// <summary>Writes <paramref name="cache"/> to <paramref name="stream"/>.</summary>
    public static void Save<TCodec>(Stream stream, MixedPrecisionKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(cache);
        using SingleCallerGuard.Scope use = cache.EnterExclusive();
        MixedPrecisionKvCacheFileHeader header = HeaderOf(cache, cache.Count, cache.Count - cache.FullPrecisionStart);
        Span<byte> head = stackalloc byte[MixedPrecisionKvCacheFileHeader.Size];
        header.Write(head);
        stream.Write(head);

        int d = cache.HeadDimension;
        byte[] key = new byte[cache.KeyStoredSize], value = new byte[cache.ValueStoredSize], floats = new byte[d * sizeof(float)];
        var hash = new XxHash64();
        for (int t = 0; t < cache.Count; t++)
        {
            cache.CopyStored(t, key, value);
            CacheFileIo.Emit(stream, hash, key);
            CacheFileIo.Emit(stream, hash, value);
            if (t < cache.FullPrecisionStart) continue;
            if (cache.KeysKeepRecent) CacheFileIo.Emit(stream, hash, CacheFileIo.FloatBytes(cache.RecentKey(t), floats));
            if (cache.ValuesKeepRecent) CacheFileIo.Emit(stream, hash, CacheFileIo.FloatBytes(cache.RecentValue(t), floats));
        }

        Span<byte> sum = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(sum, hash.GetCurrentHashAsUInt64());
        stream.Write(sum);
    }

    /// <summary>Writes <paramref name="cache"/> to the file at <paramref name="path"/> (created or overwritten).</summary>
    public static void Save<TCodec>(string path, MixedPrecisionKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        using FileStream stream = File.Create(path);
        Save(stream, cache);
    }

    /// <summary>
    /// Replaces the contents of <paramref name="cache"/> with the tokens in <paramref name="stream"/>. The cache must hold
    /// each stream as the file does (storage, codebook fingerprint, norm format, bytes per token), have the same d, and a
    /// full-precision window at least as large as the file's.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The stream is not a mixed-precision KV cache file, has an unsupported version, was written with other settings,
    /// is truncated, or is corrupt (a checksum, reserved bytes, a norm header, index padding, a NaN or infinite component).
    /// The cache is then empty.
    /// </exception>
    public static void Load<TCodec>(Stream stream, MixedPrecisionKvCache<TCodec> cache) where TCodec : IVectorCodec
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

    /// <summary>Loads the file at <paramref name="path"/> into <paramref name="cache"/>; see <see cref="Load{TCodec}(Stream, MixedPrecisionKvCache{TCodec})"/>.</summary>
    public static void Load<TCodec>(string path, MixedPrecisionKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        using FileStream stream = File.OpenRead(path);
        Load(stream, cache);
    }

    private static void LoadCore<TCodec>(Stream stream, MixedPrecisionKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        Span<byte> head = stackalloc byte[MixedPrecisionKvCacheFileHeader.Size];
        CacheFileIo.ReadExactly(stream, head, "the header", Kind);
        MixedPrecisionKvCacheFileHeader header = MixedPrecisionKvCacheFileHeader.Read(head);
        Check(header, cache);

        int d = cache.HeadDimension;
        int recentStreams = (cache.KeysKeepRecent ? 1 : 0) + (cache.ValuesKeepRecent ? 1 : 0);
        long expected = (long)header.TokenCount * (header.KeyStoredSize + header.ValueStoredSize)
                        + (long)header.WindowTokens * recentStreams * d * sizeof(float) + sizeof(ulong);
        if (stream.CanSeek && stream.Length - stream.Position < expected)
            throw new InvalidDataException(
                $"Truncated mixed-precision KV cache file: {header.TokenCount} tokens need {expected} bytes after the header, {stream.Length - stream.Position} remain.");

        byte[] key = new byte[cache.KeyStoredSize], value = new byte[cache.ValueStoredSize], floats = new byte[d * sizeof(float)];
        float[] recentKey = new float[cache.KeysKeepRecent ? d : 0], recentValue = new float[cache.ValuesKeepRecent ? d : 0];
        int windowFrom = header.TokenCount - header.WindowTokens;
        var hash = new XxHash64();
        for (int t = 0; t < header.TokenCount; t++)
        {
            CacheFileIo.Take(stream, hash, key, t, Kind);
            CacheFileIo.Take(stream, hash, value, t, Kind);
            bool inWindow = t >= windowFrom;
            if (inWindow && cache.KeysKeepRecent)
            {
                CacheFileIo.Take(stream, hash, floats, t, Kind);
                CacheFileIo.ReadFloats(floats, recentKey, t, "key", Kind);
            }

            if (inWindow && cache.ValuesKeepRecent)
            {
                CacheFileIo.Take(stream, hash, floats, t, Kind);
                CacheFileIo.ReadFloats(floats, recentValue, t, "value", Kind);
            }

            cache.AppendStored(key, value, inWindow, inWindow ? recentKey : ReadOnlySpan<float>.Empty,
                inWindow ? recentValue : ReadOnlySpan<float>.Empty, t);
        }

        Span<byte> sum = stackalloc byte[sizeof(ulong)];
        CacheFileIo.ReadExactly(stream, sum, "the payload checksum", Kind);
        if (BinaryPrimitives.ReadUInt64LittleEndian(sum) != hash.GetCurrentHashAsUInt64())
            throw new InvalidDataException("Corrupt mixed-precision KV cache file: the payload checksum does not match.");
    }

    private static MixedPrecisionKvCacheFileHeader HeaderOf<TCodec>(MixedPrecisionKvCache<TCodec> cache, int tokens, int windowTokens)
        where TCodec : IVectorCodec
    {
        KvStreamFormat<TCodec> keys = cache.KeyFormat, values = cache.ValueFormat;
        return new MixedPrecisionKvCacheFileHeader(cache.HeadDimension, keys.Storage, values.Storage, NormFormatOf(keys), NormFormatOf(values),
            FingerprintOf(keys), FingerprintOf(values), cache.KeyStoredSize, cache.ValueStoredSize, tokens, windowTokens);
    }

    private static void Check<TCodec>(MixedPrecisionKvCacheFileHeader header, MixedPrecisionKvCache<TCodec> cache) where TCodec : IVectorCodec
    {
        MixedPrecisionKvCacheFileHeader own = HeaderOf(cache, header.TokenCount, header.WindowTokens);
        if (header.Dimension != own.Dimension)
            throw new InvalidDataException($"Mixed-precision KV cache file has head dimension d = {header.Dimension}; the cache has d = {own.Dimension}.");
        if (header.KeyStorage != own.KeyStorage || header.ValueStorage != own.ValueStorage)
            throw new InvalidDataException($"Mixed-precision KV cache file holds keys as {header.KeyStorage} and values as {header.ValueStorage}; the cache holds {own.KeyStorage} and {own.ValueStorage}.");
        if (header.KeyFingerprint != own.KeyFingerprint)
            throw new InvalidDataException($"Mixed-precision KV cache file keys were encoded with codebook fingerprint 0x{header.KeyFingerprint:X16}; the cache's key codebook is 0x{own.KeyFingerprint:X16}.");
        if (header.ValueFingerprint != own.ValueFingerprint)
            throw new InvalidDataException($"Mixed-precision KV cache file values were encoded with codebook fingerprint 0x{header.ValueFingerprint:X16}; the cache's value codebook is 0x{own.ValueFingerprint:X16}.");
        if (header.KeyNormFormat != own.KeyNormFormat || header.ValueNormFormat != own.ValueNormFormat)
            throw new InvalidDataException($"Mixed-precision KV cache file norm formats are {header.KeyNormFormat}/{header.ValueNormFormat}; the cache uses {own.KeyNormFormat}/{own.ValueNormFormat}.");
        if (header.KeyStoredSize != own.KeyStoredSize || header.ValueStoredSize != own.ValueStoredSize)
            throw new InvalidDataException($"Mixed-precision KV cache file stores {header.KeyStoredSize}/{header.ValueStoredSize} bytes per key/value; the cache stores {own.KeyStoredSize}/{own.ValueStoredSize}.");
        if (header.TokenCount < 0)
            throw new InvalidDataException($"Corrupt mixed-precision KV cache file: negative token count {header.TokenCount}.");
        if (header.WindowTokens < 0 || header.WindowTokens > header.TokenCount)
            throw new InvalidDataException($"Corrupt mixed-precision KV cache file: {header.WindowTokens} full-precision window tokens for {header.TokenCount} tokens.");
        if (header.WindowTokens > cache.RecentWindow)
            throw new InvalidDataException($"Mixed-precision KV cache file holds {header.WindowTokens} full-precision window tokens; the cache's window holds {cache.RecentWindow}.");
    }

    private static NormFormat NormFormatOf<TCodec>(KvStreamFormat<TCodec> format) where TCodec : IVectorCodec =>
        format.Storage == KvStreamStorage.Compressed ? format.Codec!.NormFormat : default;

    private static ulong FingerprintOf<TCodec>(KvStreamFormat<TCodec> format) where TCodec : IVectorCodec =>
        format.Storage == KvStreamStorage.Compressed ? format.Codec!.Fingerprint : 0;
}
