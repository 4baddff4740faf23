using System;

namespace FibQuant.Attention;

/// <summary>The argument checks every KV cache makes, so each cache type reports bad input in the same words.</summary>
internal static class CacheArguments
{
    /// <summary>A key, value, query or output vector must have length d.</summary>
    public static void VectorLength(int length, int d, string name)
    {
        if (length != d) throw new ArgumentException($"{name} must have length d = {d}, got {length}.", name);
    }

    /// <summary>Attention runs over the first <paramref name="length"/> of <paramref name="count"/> tokens, at least one.</summary>
    public static void AttendLength(int length, int count)
    {
        if (length < 1 || length > count) throw new ArgumentOutOfRangeException(nameof(length), length, $"length must be in [1, {count}].");
    }

    /// <summary>A token position among the <paramref name="count"/> held.</summary>
    public static int Position(int position, int count)
    {
        if ((uint)position >= (uint)count) throw new ArgumentOutOfRangeException(nameof(position), position, $"position must be in [0, {count}).");
        return position;
    }

    /// <summary>Grouped attention: a positive whole number of d-vectors of queries, and one output per query value.</summary>
    public static void Group(int queries, int outputs, int d)
    {
        if (queries == 0 || queries % d != 0)
            throw new ArgumentException($"queries must hold a positive multiple of d = {d} values, got {queries}.", nameof(queries));
        if (outputs != queries)
            throw new ArgumentException($"outputs must have the length of queries ({queries}), got {outputs}.", nameof(outputs));
    }

    /// <summary>Queries and the scale must be finite: one NaN would turn every softmax weight into NaN.</summary>
    public static void Finite(ReadOnlySpan<float> queries, float scale, string paramName)
    {
        if (!float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be a finite number.");
        for (int i = 0; i < queries.Length; i++)
        {
            if (!float.IsFinite(queries[i]))
                throw new ArgumentException($"{paramName} holds {queries[i]} at index {i}; attention needs finite values.", paramName);
        }
    }
}
