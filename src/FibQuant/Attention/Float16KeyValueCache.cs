using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

/// <summary>
/// Keys and values stored in fp16 (the usual inference cache and the baseline of the benchmarks), paged; attention
/// converts a chunk of keys or values to fp32 with <see cref="TensorPrimitives.ConvertToSingle(ReadOnlySpan{Half}, Span{float})"/>
/// and uses TensorPrimitives dot products and multiply-adds. Not thread-safe (scratch buffers are owned by the cache).
/// </summary>
public sealed class Float16KeyValueCache : IKeyValueCache
{
    /// <summary>Tokens per page; also the conversion chunk of attention.</summary>
    public const int PageTokens = 64;

    private readonly List<Half[]> _keys = new();
    private readonly List<Half[]> _values = new();
    private readonly float[] _chunk;
    private readonly Half[] _halfKey;
    private readonly Half[] _halfValue;
    private float[] _scores = new float[PageTokens];

    /// <summary>Creates an empty cache for heads of dimension <paramref name="headDimension"/>.</summary>
    public Float16KeyValueCache(int headDimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headDimension, 1);
        HeadDimension = headDimension;
        _chunk = new float[PageTokens * headDimension];
        _halfKey = new Half[headDimension];
        _halfValue = new Half[headDimension];
    }

    /// <inheritdoc />
    public int HeadDimension { get; }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <inheritdoc />
    public long BytesUsed => 4L * Count * HeadDimension;

    /// <inheritdoc />
    public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        Check(key.Length, nameof(key));
        Check(value.Length, nameof(value));
        TensorPrimitives.ConvertToHalf(key, _halfKey);
        TensorPrimitives.ConvertToHalf(value, _halfValue);
        Append(_halfKey, _halfValue);
    }

    /// <summary>Appends one token's key and value given in fp16.</summary>
    public void Append(ReadOnlySpan<Half> key, ReadOnlySpan<Half> value)
    {
        Check(key.Length, nameof(key));
        Check(value.Length, nameof(value));
        int d = HeadDimension;
        int page = Count / PageTokens;
        if (page == _keys.Count)
        {
            _keys.Add(new Half[PageTokens * d]);
            _values.Add(new Half[PageTokens * d]);
        }

        int offset = Count % PageTokens * d;
        key.CopyTo(_keys[page].AsSpan(offset, d));
        value.CopyTo(_values[page].AsSpan(offset, d));
        Count++;
    }

    /// <summary>Token <paramref name="position"/>'s key, widened to fp32.</summary>
    public void ReadKey(int position, Span<float> key) => Read(_keys, position, key);

    /// <summary>Token <paramref name="position"/>'s value, widened to fp32.</summary>
    public void ReadValue(int position, Span<float> value) => Read(_values, position, value);

    /// <inheritdoc />
    public void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output)
    {
        Check(query.Length, nameof(query));
        Check(output.Length, nameof(output));
        if (_scores.Length < length) _scores = new float[Math.Max(length, _scores.Length * 2)];
        Span<float> p = _scores.AsSpan(0, length);
        ComputeScores(query, scale, length, p);
        float max = TensorPrimitives.Max(p);
        TensorPrimitives.Subtract(p, max, p);
        TensorPrimitives.Exp(p, p);
        TensorPrimitives.Multiply(p, 1f / TensorPrimitives.Sum(p), p);
        output.Clear();
        int d = HeadDimension;
        for (int start = 0; start < length; start += PageTokens)
        {
            int tokens = Math.Min(PageTokens, length - start);
            Span<float> chunk = _chunk.AsSpan(0, tokens * d);
            TensorPrimitives.ConvertToSingle(_values[start / PageTokens].AsSpan(0, tokens * d), chunk);
            for (int t = 0; t < tokens; t++) TensorPrimitives.MultiplyAdd(chunk.Slice(t * d, d), p[start + t], output, output);
        }
    }

    /// <summary>scores[t] = scale · ⟨query, key_t⟩ for t &lt; <paramref name="length"/> (fp16 keys widened to fp32).</summary>
    public void ComputeScores(ReadOnlySpan<float> query, float scale, int length, Span<float> scores)
    {
        Check(query.Length, nameof(query));
        CacheArguments.AttendLength(length, Count);
        if (scores.Length < length) throw new ArgumentException($"scores must hold {length} values.", nameof(scores));
        int d = HeadDimension;
        for (int start = 0; start < length; start += PageTokens)
        {
            int tokens = Math.Min(PageTokens, length - start);
            Span<float> chunk = _chunk.AsSpan(0, tokens * d);
            TensorPrimitives.ConvertToSingle(_keys[start / PageTokens].AsSpan(0, tokens * d), chunk);
            for (int t = 0; t < tokens; t++) scores[start + t] = scale * TensorPrimitives.Dot(query, chunk.Slice(t * d, d));
        }
    }

    /// <inheritdoc />
    public void Truncate(int count)
    {
        if (count < 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {Count}].");
        Count = count;
    }

    /// <inheritdoc />
    public void Clear() => Count = 0;

    private void Read(List<Half[]> pages, int position, Span<float> destination)
    {
        CacheArguments.Position(position, Count);
        Check(destination.Length, nameof(destination));
        int d = HeadDimension;
        TensorPrimitives.ConvertToSingle(pages[position / PageTokens].AsSpan(position % PageTokens * d, d), destination);
    }

    private void Check(int length, string name) => CacheArguments.VectorLength(length, HeadDimension, name);
}
