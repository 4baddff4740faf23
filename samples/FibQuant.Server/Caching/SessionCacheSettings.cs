using System;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Server.Api;

namespace FibQuant.Server.Caching;

/// <summary>
/// The validated cache settings of a session: the key and value formats (independent: each fp32, fp16 or a codebook),
/// the full-precision recent window, and what one token costs in memory. Quantized keys and values are held in a
/// <see cref="CompressedKvCache{TCodec}"/>; every other combination in a <see cref="MixedPrecisionKvCache{TCodec}"/>.
/// The cost is measured on real caches of these settings (a one-token probe), so the memory budget counts exactly the
/// bytes <see cref="IKeyValueCache.BytesUsed"/> reports.
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
        Label = keys.Kind == values.Kind && keys.Kind != CacheStorageKind.Quantized
            ? keys.Label
            : $"K {keys.Label} / V {values.Label}" + (recentWindow > 0 ? $" / window {recentWindow}" : "");

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

    /// <summary>Most recent tokens whose quantized streams are also held in fp32.</summary>
    public int RecentWindow { get; }

    /// <summary>
    /// Label for metrics and session info, e.g. <c>K fibquant k=2 N=16 haar / V fibquant k=2 N=16 haar</c>, or <c>fp16</c>
    /// when both streams are fp16.
    /// </summary>
    public string Label { get; }

    /// <summary>
    /// Validates a request's settings for a model of head dimension d with <paramref name="cachesPerSession"/> caches
    /// (layers × KV heads); codecs come from <paramref name="codecs"/> (designed there on first use).
    /// </summary>
    /// <exception cref="RequestException">400: unknown or invalid codec, window out of range or without a quantized stream.</exception>
    public static SessionCacheSettings Parse(CodecRequest? keys, CodecRequest? values, int recentWindow, int headDimension,
        int cachesPerSession, int sequenceLength, CodecRegistry codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        StreamFormat keyFormat = StreamFormat.Parse(keys, headDimension, "keys");
        StreamFormat valueFormat = StreamFormat.Parse(values, headDimension, "values");
        bool keysQuantized = keyFormat.Kind == CacheStorageKind.Quantized, valuesQuantized = valueFormat.Kind == CacheStorageKind.Quantized;
        if (recentWindow < 0 || recentWindow > sequenceLength)
            throw RequestException.BadRequest($"recent_window must be in [0, {sequenceLength}], got {recentWindow}.");
        if (recentWindow > 0 && !keysQuantized && !valuesQuantized)
            throw RequestException.BadRequest(
                $"recent_window applies to quantized caches only; keys {keyFormat.Label} and values {valueFormat.Label} are already full precision.");

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

    private IKeyValueCache Create(int headDimension, bool windowed)
    {
        int window = windowed ? RecentWindow : 0;
        if (_keys is not null && _values is not null) return new CompressedKvCache<FibQuantizer>(_keys, _values, window);
        return new MixedPrecisionKvCache<FibQuantizer>(headDimension, Format(KeyFormat.Kind, _keys), Format(ValueFormat.Kind, _values), window);
    }

    private static KvStreamFormat<FibQuantizer> Format(CacheStorageKind kind, FibQuantizer? codec) => kind switch
    {
        CacheStorageKind.Float32 => KvStreamFormat<FibQuantizer>.Float32,
        CacheStorageKind.Float16 => KvStreamFormat<FibQuantizer>.Float16,
        _ => KvStreamFormat<FibQuantizer>.Compressed(codec!),
    };
}
