using System;

namespace FibQuant.Attention;

/// <summary>
/// Ring buffer of the fp32 keys and values of the most recent W tokens: position p lives in slot p mod W, so appending
/// token p overwrites token p − W. Allocated once at construction; appending never allocates.
/// </summary>
internal sealed class FullPrecisionWindow
{
    private readonly float[] _keys;
    private readonly float[] _values;
    private readonly int _dimension;

    public FullPrecisionWindow(int capacity, int dimension)
    {
        Capacity = capacity;
        _dimension = dimension;
        _keys = new float[capacity * dimension];
        _values = new float[capacity * dimension];
    }

    /// <summary>W, the tokens it can hold.</summary>
    public int Capacity { get; }

    /// <summary>Stores the key and value of token <paramref name="position"/>.</summary>
    public void Store(int position, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        int offset = position % Capacity * _dimension;
        key.CopyTo(_keys.AsSpan(offset, _dimension));
        value.CopyTo(_values.AsSpan(offset, _dimension));
    }

    /// <summary>The fp32 key of token <paramref name="position"/> (valid while it is among the last W appended).</summary>
    public ReadOnlySpan<float> Key(int position) => _keys.AsSpan(position % Capacity * _dimension, _dimension);

    /// <summary>The fp32 value of token <paramref name="position"/>.</summary>
    public ReadOnlySpan<float> Value(int position) => _values.AsSpan(position % Capacity * _dimension, _dimension);
}
