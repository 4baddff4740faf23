using System;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Server.Api;

namespace FibQuant.Server.Caching;

/// <summary>
/// The validated cache settings of a session: the key and value formats, the full-precision recent window, and what one
/// token costs in memory. The cost is measured on real caches of these settings (a one-token probe), so the memory
/// budget counts exactly the bytes <see cref="IKeyValueCache.BytesUsed"/> reports.
/// </summary>
internal sealed class SessionCacheSettings
{
    private readonly FibQuantizer? _keys;
    private readonly FibQuantizer? _values;
    private readonly int _cachesPerSession;
    private readonly long _codeBytesPerToken;
    private readonly long _windowBytesPerToken;

    private SessionCacheSettings(StreamFormat keys, StreamFormat values, int recentWindow, FibQuantizer? keyCodec,
        FibQuantizer? valueCodec, int headDimension, int cachesPerSession)
    {
        KeyFormat = keys;
        ValueFormat = values;
        RecentWindow = recentWindow;
        _keys = keyCodec;
        _values = valueCodec;
        _cachesPerSession = cachesPerSession;
        Label = IsQuantized
            ? $"K {keys.Label} / V {values.Label}" + (recentWindow > 0 ? $" / window {recentWindow}" : "")
            : keys.Label;

        IKeyValueCache codesOnly = Create(headDimension, windowed: false), windowed = Create(headDimension, windowed: true);
        float[] unit = new float[headDimension];
        unit[0] = 1;
        codesOnly.Append(unit, unit);
        windowed.Append(unit, unit);
        _codeBytesPerToken = codesOnly.BytesUsed;
        _windowBytesPerToken = windowed.BytesUsed - codesOnly.BytesUsed;
    }

    /// <summary>Format of the keys.</summary>
    public StreamFormat KeyFormat { get; }

    /// <summary>Format of the values.</summary>
    public StreamFormat ValueFormat { get; }

    /// <summary>Most recent tokens also held in fp32 (quantized caches only).</summary>
    public int RecentWindow { get; }

    /// <summary>Label for metrics and session info, e.g. <c>K fibquant k=2 N=16 haar / V fibquant k=2 N=16 haar</c>.</summary>
    public string Label { get; }

    /// <summary>Whether keys and values are quantized, i.e. the caches can be spilled with <see cref="KvCacheFile"/>.</summary>
    public bool IsQuantized => _keys is not null;

    /// <summary>
    /// Validates a request's settings for a model of head dimension d with <paramref name="cachesPerSession"/> caches
    /// (layers × KV heads); codecs come from <paramref name="codecs"/> (designed there on first use).
    /// </summary>
    /// <exception cref="RequestException">400: unknown or invalid codec, unsupported combination, window out of range.</exception>
    public static SessionCacheSettings Parse(CodecRequest? keys, CodecRequest? values, int recentWindow, int headDimension,
        int cachesPerSession, int sequenceLength, CodecRegistry codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        StreamFormat keyFormat = StreamFormat.Parse(keys, headDimension, "keys");
        StreamFormat valueFormat = StreamFormat.Parse(values, headDimension, "values");
        bool keysQuantized = keyFormat.Kind == CacheStorageKind.Quantized, valuesQuantized = valueFormat.Kind == CacheStorageKind.Quantized;
        if (keysQuantized != valuesQuantized || (!keysQuantized && keyFormat.Kind != valueFormat.Kind))
            throw RequestException.BadRequest(
                $"keys {keyFormat.Label} with values {valueFormat.Label} is not a supported cache: keys and values are both quantized " +
                "(turboquant or fibquant, each with its own codebook), both fp16, or both fp32.");
        if (recentWindow < 0 || recentWindow > sequenceLength)
            throw RequestException.BadRequest($"recent_window must be in [0, {sequenceLength}], got {recentWindow}.");
        if (recentWindow > 0 && !keysQuantized)
            throw RequestException.BadRequest($"recent_window applies to quantized caches only; {keyFormat.Label} is already full precision.");

        FibQuantizer? keyCodec = keysQuantized ? codecs.Get(keyFormat.Spec!) : null;
        FibQuantizer? valueCodec = valuesQuantized ? codecs.Get(valueFormat.Spec!) : null;
        return new SessionCacheSettings(keyFormat, valueFormat, recentWindow, keyCodec, valueCodec, headDimension, cachesPerSession);
    }

    /// <summary>Bytes the caches of one session report (<see cref="IKeyValueCache.BytesUsed"/>, summed) when holding <paramref name="tokens"/> tokens.</summary>
    public long BytesFor(int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        return _cachesPerSession * (tokens * _codeBytesPerToken + Math.Min(tokens, RecentWindow) * _windowBytesPerToken);
    }

    /// <summary>A factory of new, empty caches of these settings for <c>LlamaModel.CreateSession</c>.</summary>
    public Func<int, int, int, IKeyValueCache> Factory => (_, _, d) => Create(d, windowed: true);

    private IKeyValueCache Create(int headDimension, bool windowed) => KeyFormat.Kind switch
    {
        CacheStorageKind.Float32 => new Float32KeyValueCache(headDimension),
        CacheStorageKind.Float16 => new Float16KeyValueCache(headDimension),
        _ => new CompressedKvCache<FibQuantizer>(_keys!, _values!, windowed ? RecentWindow : 0),
    };
}
