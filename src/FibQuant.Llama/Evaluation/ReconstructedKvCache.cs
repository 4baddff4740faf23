using System;
using System.Numerics.Tensors;
using FibQuant.Attention;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// The evaluation's KV cache: each appended key and value is stored as a cache format reads it back
/// (<see cref="IVectorRoundTrip"/>: encode then decode), beside the exact fp32 vector, so that one cache can serve any
/// format (FibQuant, TurboQuant, q8_0, q4_0, fp16) and the deployment options that keep some tokens in full precision:
/// the first <see cref="SinkTokens"/> tokens (attention sinks) and the most recent <see cref="RecentWindow"/> tokens are
/// attended exactly. Attention is the reference computation (<see cref="ReferenceAttention"/>'s operations in the same
/// order, so with exact storage it equals <see cref="Float32KeyValueCache"/> bit for bit), and the softmax weights of
/// the last call stay readable (<see cref="LastWeights"/>) for the attention top-10 recall. Not thread-safe.
/// </summary>
public sealed class ReconstructedKvCache : IKeyValueCache
{
    private readonly IVectorRoundTrip? _keyCodec;
    private readonly IVectorRoundTrip? _valueCodec;
    private readonly double _keyBits;
    private readonly double _valueBits;
    private float[] _keys;
    private float[] _values;
    private float[] _storedKeys;
    private float[] _storedValues;
    private float[] _weights;
    private int _lastLength;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="headDimension">Head dimension d.</param>
    /// <param name="keyCodec">Round trip of the keys; null stores them exactly (fp32).</param>
    /// <param name="valueCodec">Round trip of the values; null stores them exactly.</param>
    /// <param name="keyBits">Stored bits of one key (for <see cref="BytesUsed"/>).</param>
    /// <param name="valueBits">Stored bits of one value.</param>
    /// <param name="sinkTokens">The first tokens kept in full precision (≥ 0).</param>
    /// <param name="recentWindow">The most recent tokens attended in full precision (≥ 0).</param>
    public ReconstructedKvCache(int headDimension, IVectorRoundTrip? keyCodec, IVectorRoundTrip? valueCodec, double keyBits, double valueBits,
        int sinkTokens = 0, int recentWindow = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDimension);
        ArgumentOutOfRangeException.ThrowIfNegative(sinkTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(recentWindow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keyBits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(valueBits);
        if (keyCodec is not null && keyCodec.Dimension != headDimension)
            throw new ArgumentException($"The key codec has d = {keyCodec.Dimension}, the cache d = {headDimension}.", nameof(keyCodec));
        if (valueCodec is not null && valueCodec.Dimension != headDimension)
            throw new ArgumentException($"The value codec has d = {valueCodec.Dimension}, the cache d = {headDimension}.", nameof(valueCodec));
        HeadDimension = headDimension;
        _keyCodec = keyCodec;
        _valueCodec = valueCodec;
        _keyBits = keyBits;
        _valueBits = valueBits;
        SinkTokens = sinkTokens;
        RecentWindow = recentWindow;
        const int initialTokens = 256;
        _keys = new float[initialTokens * headDimension];
        _values = new float[initialTokens * headDimension];
        _storedKeys = keyCodec is null ? _keys : new float[initialTokens * headDimension];
        _storedValues = valueCodec is null ? _values : new float[initialTokens * headDimension];
        _weights = new float[initialTokens];
    }

    /// <inheritdoc />
    public int HeadDimension { get; }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <summary>The first tokens kept in full precision.</summary>
    public int SinkTokens { get; }

    /// <summary>The most recent tokens attended in full precision.</summary>
    public int RecentWindow { get; }

    /// <summary>
    /// Bytes a deployment stores for the tokens held: the codecs' encoded bits per token, and fp16 for the tokens kept in
    /// full precision (sinks and the recent window; this cache holds them in fp32 to attend exactly).
    /// </summary>
    public long BytesUsed
    {
        get
        {
            int exact = Math.Min(Count, SinkTokens + RecentWindow);
            double bits = (Count - exact) * (_keyBits + _valueBits) + exact * 2.0 * 16 * HeadDimension;
            return (long)Math.Ceiling(bits / 8);
        }
    }

    /// <summary>The softmax weights of the last <see cref="Attend"/> call (one per attended token).</summary>
    public ReadOnlySpan<float> LastWeights => _weights.AsSpan(0, _lastLength);

    /// <inheritdoc />
    public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        int d = HeadDimension;
        if (key.Length != d) throw new ArgumentException($"key must have length d = {d}, got {key.Length}.", nameof(key));
        if (value.Length != d) throw new ArgumentException($"value must have length d = {d}, got {value.Length}.", nameof(value));
        if ((Count + 1) * d > _keys.Length) Grow();
        key.CopyTo(_keys.AsSpan(Count * d, d));
        value.CopyTo(_values.AsSpan(Count * d, d));
        _keyCodec?.RoundTrip(key, _storedKeys.AsSpan(Count * d, d));
        _valueCodec?.RoundTrip(value, _storedValues.AsSpan(Count * d, d));
        Count++;
    }

    /// <inheritdoc />
    public void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output)
    {
        int d = HeadDimension;
        if (query.Length != d) throw new ArgumentException($"query must have length d = {d}, got {query.Length}.", nameof(query));
        if (output.Length != d) throw new ArgumentException($"output must have length d = {d}, got {output.Length}.", nameof(output));
        if (length < 1 || length > Count) throw new ArgumentOutOfRangeException(nameof(length), length, $"length must be in [1, {Count}].");
        int windowStart = length - RecentWindow;
        Span<float> p = _weights.AsSpan(0, length);
        for (int t = 0; t < length; t++) p[t] = scale * TensorPrimitives.Dot(query, Key(t, windowStart));
        float max = TensorPrimitives.Max(p);
        TensorPrimitives.Subtract(p, max, p);
        TensorPrimitives.Exp(p, p);
        TensorPrimitives.Multiply(p, 1f / TensorPrimitives.Sum(p), p);
        output.Clear();
        for (int t = 0; t < length; t++) TensorPrimitives.MultiplyAdd(Value(t, windowStart), p[t], output, output);
        _lastLength = length;
    }

    /// <inheritdoc />
    public void Truncate(int count)
    {
        if (count < 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {Count}].");
        Count = count;
        _lastLength = Math.Min(_lastLength, count);
    }

    /// <inheritdoc />
    public void Clear()
    {
        Count = 0;
        _lastLength = 0;
    }

    private ReadOnlySpan<float> Key(int t, int windowStart) =>
        (t < SinkTokens || t >= windowStart ? _keys : _storedKeys).AsSpan(t * HeadDimension, HeadDimension);

    private ReadOnlySpan<float> Value(int t, int windowStart) =>
        (t < SinkTokens || t >= windowStart ? _values : _storedValues).AsSpan(t * HeadDimension, HeadDimension);

    private void Grow()
    {
        bool sharedKeys = ReferenceEquals(_storedKeys, _keys), sharedValues = ReferenceEquals(_storedValues, _values);
        Array.Resize(ref _keys, _keys.Length * 2);
        Array.Resize(ref _values, _values.Length * 2);
        if (sharedKeys) _storedKeys = _keys;
        else Array.Resize(ref _storedKeys, _storedKeys.Length * 2);
        if (sharedValues) _storedValues = _values;
        else Array.Resize(ref _storedValues, _storedValues.Length * 2);
        Array.Resize(ref _weights, _weights.Length * 2);
    }
}
