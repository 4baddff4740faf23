using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

/// <summary>Uncompressed fp32 keys and values: the reference every compressed cache is measured against.</summary>
public sealed class Float32KeyValueCache : IKeyValueCache
{
    private readonly List<float[]> _pages = new();
    private float[] _scores = new float[256];
    private const int PageTokens = 256;

    /// <summary>Creates an empty cache for heads of dimension <paramref name="headDimension"/>.</summary>
    public Float32KeyValueCache(int headDimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headDimension, 1);
        HeadDimension = headDimension;
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
        if (key.Length != d) throw new ArgumentException($"key must have length d = {d}, got {key.Length}.", nameof(key));
        if (value.Length != d) throw new ArgumentException($"value must have length d = {d}, got {value.Length}.", nameof(value));
        int page = Count / PageTokens;
        if (page == _pages.Count) _pages.Add(new float[PageTokens * 2 * d]);
        Span<float> slot = _pages[page].AsSpan((Count % PageTokens) * 2 * d, 2 * d);
        key.CopyTo(slot);
        value.CopyTo(slot.Slice(d));
        Count++;
    }

    /// <inheritdoc />
    public void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output)
    {
        int d = HeadDimension;
        if (query.Length != d) throw new ArgumentException($"query must have length d = {d}, got {query.Length}.", nameof(query));
        if (output.Length != d) throw new ArgumentException($"output must have length d = {d}, got {output.Length}.", nameof(output));
        if (length < 1 || length > Count) throw new ArgumentOutOfRangeException(nameof(length), length, $"length must be in [1, {Count}].");
        if (_scores.Length < length) _scores = new float[Math.Max(length, _scores.Length * 2)];
        Span<float> scores = _scores.AsSpan(0, length);
        for (int t = 0; t < length; t++) scores[t] = scale * TensorPrimitives.Dot(query, Slot(t).Slice(0, d));
        TensorPrimitives.SoftMax(scores, scores);
        output.Clear();
        for (int t = 0; t < length; t++) TensorPrimitives.MultiplyAdd(Slot(t).Slice(d, d), scores[t], output, output);
    }

    /// <inheritdoc />
    public void Truncate(int count)
    {
        if (count < 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {Count}].");
        Count = count;
    }

    /// <inheritdoc />
    public void Clear() => Count = 0;

    private ReadOnlySpan<float> Slot(int t) => _pages[t / PageTokens].AsSpan((t % PageTokens) * 2 * HeadDimension, 2 * HeadDimension);
}
