using System;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

/// <summary>
/// Exact attention over explicit fp32 keys and values: the reference path ("decode everything, then attend") the
/// compressed kernels are checked against. Allocation-free: the caller passes every buffer.
/// </summary>
public static class ReferenceAttention
{
    /// <summary>
    /// output = Σ_t softmax_t(scale · ⟨query, keys_t⟩) · values_t with a stable softmax; keys and values are
    /// length·d row-major, <paramref name="scores"/> receives the probabilities (length entries).
    /// </summary>
    public static void Attend(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, float scale,
        Span<float> scores, Span<float> output)
    {
        int d = query.Length;
        if (d == 0) throw new ArgumentException("query must not be empty.", nameof(query));
        if (keys.Length == 0 || keys.Length % d != 0) throw new ArgumentException($"keys must hold a positive multiple of d = {d} values.", nameof(keys));
        int length = keys.Length / d;
        if (values.Length != keys.Length) throw new ArgumentException("values must have the length of keys.", nameof(values));
        if (scores.Length < length) throw new ArgumentException($"scores must hold {length} values.", nameof(scores));
        if (output.Length != d) throw new ArgumentException($"output must have length d = {d}.", nameof(output));
        Span<float> p = scores.Slice(0, length);
        for (int t = 0; t < length; t++) p[t] = scale * TensorPrimitives.Dot(query, keys.Slice(t * d, d));
        float max = TensorPrimitives.Max(p);
        TensorPrimitives.Subtract(p, max, p);
        TensorPrimitives.Exp(p, p);
        TensorPrimitives.Multiply(p, 1f / TensorPrimitives.Sum(p), p);
        output.Clear();
        for (int t = 0; t < length; t++) TensorPrimitives.MultiplyAdd(values.Slice(t * d, d), p[t], output, output);
    }

    /// <summary>Decodes the first <paramref name="length"/> keys and values of a compressed cache (as attention uses them).</summary>
    public static void DecodeAll<TCodec>(CompressedKvCache<TCodec> cache, int length, Span<float> keys, Span<float> values)
        where TCodec : Coding.IVectorCodec
    {
        ArgumentNullException.ThrowIfNull(cache);
        int d = cache.HeadDimension;
        if (length < 0 || length > cache.Count) throw new ArgumentOutOfRangeException(nameof(length), length, $"length must be in [0, {cache.Count}].");
        if (keys.Length < length * d || values.Length < length * d) throw new ArgumentException($"keys and values must hold length·d = {length * d} values.");
        for (int t = 0; t < length; t++)
        {
            cache.DecodeKey(t, keys.Slice(t * d, d));
            cache.DecodeValue(t, values.Slice(t * d, d));
        }
    }
}
