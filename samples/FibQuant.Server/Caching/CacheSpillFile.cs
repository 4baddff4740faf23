using System;
using FibQuant.Attention;
using FibQuant.Coding;

namespace FibQuant.Server.Caching;

/// <summary>
/// Writes and reads one cache of a spilled session in the library's own format for its type: a
/// <see cref="CompressedKvCache{TCodec}"/> with <see cref="KvCacheFile"/>, a <see cref="MixedPrecisionKvCache{TCodec}"/>
/// (any session with a full-precision stream) with <see cref="MixedPrecisionKvCacheFile"/>.
/// </summary>
internal static class CacheSpillFile
{
    /// <summary>Writes <paramref name="cache"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, IKeyValueCache cache)
    {
        switch (cache)
        {
            case CompressedKvCache<FibQuantizer> compressed:
                KvCacheFile.Save(path, compressed);
                break;
            case MixedPrecisionKvCache<FibQuantizer> mixed:
                MixedPrecisionKvCacheFile.Save(path, mixed);
                break;
            default:
                throw new ArgumentException($"A {cache.GetType().Name} cannot be spilled; the server builds compressed and mixed-precision caches only.", nameof(cache));
        }
    }

    /// <summary>Replaces the contents of <paramref name="cache"/> with the file at <paramref name="path"/>.</summary>
    /// <exception cref="System.IO.InvalidDataException">The file is missing its tokens, corrupt, or of other settings.</exception>
    public static void Load(string path, IKeyValueCache cache)
    {
        switch (cache)
        {
            case CompressedKvCache<FibQuantizer> compressed:
                KvCacheFile.Load(path, compressed);
                break;
            case MixedPrecisionKvCache<FibQuantizer> mixed:
                MixedPrecisionKvCacheFile.Load(path, mixed);
                break;
            default:
                throw new ArgumentException($"A {cache.GetType().Name} cannot be restored; the server builds compressed and mixed-precision caches only.", nameof(cache));
        }
    }
}
