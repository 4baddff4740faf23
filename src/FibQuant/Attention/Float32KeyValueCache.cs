using System;

namespace FibQuant.Attention;

/// <summary>
/// Uncompressed fp32 keys and values: the reference every compressed cache is measured against. Stored contiguously
/// and attended with <see cref="ReferenceAttention.Attend"/> (max-subtracted softmax: scores far above 88 do not
/// overflow). Storage grows by doubling, so appends do not allocate once the cache has reached its working size.
/// </summary>
public sealed class Float32KeyValueCache : IKeyValueCache
{
    private float[] _keys;
    private float[] _values;
    private float[] _scores;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="headDimension">Head dimension d.</param>
    /// <param name="initialCapacity">Tokens to reserve room for.</param>
    public Float32KeyValueCache(int headDimension, int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        HeadDimension = headDimension;
        _keys = new float[initialCapacity * headDimension];
        _values = new float[initialCapacity * headDimension];
        _scores = new float[initialCapacity];
    }

    /// <inheritdoc />
    public int HeadDimension { get; }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <inheritdoc />
    public long BytesUsed => 2L * Count * HeadDimension * sizeof(float);

    /// <inheritdoc />
    public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        int d = HeadDimension;
        CacheArguments.VectorLength(key.Length, d, nameof(key));
        CacheArguments.VectorLength(value.Length, d, nameof(value));
        if ((Count + 1) * d > _keys.Length)
        {
            Array.Resize(ref _keys, _keys.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
            Array.Resize(ref _scores, _scores.Length * 2);
        }

        key.CopyTo(_keys.AsSpan(Count * d, d));
        value.CopyTo(_values.AsSpan(Count * d, d));
        Count++;
    }

    /// <inheritdoc />
    public void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output)
    {
        CacheArguments.AttendLength(length, Count);
        int n = length * HeadDimension;
        ReferenceAttention.Attend(query, _keys.AsSpan(0, n), _values.AsSpan(0, n), scale, _scores, output);
    }

    /// <inheritdoc />
    public void Truncate(int count)
    {
        if (count < 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {Count}].");
        Count = count;
    }

    /// <inheritdoc />
    public void Clear() => Count = 0;
}
