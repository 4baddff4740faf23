using System;

namespace FibQuant.Attention;

/// <summary>
/// The keys and values of one layer × one KV head, and attention of a query over them. Implementations store
/// them in fp32, fp16 or compressed form; a model runner is written once against this contract.
/// </summary>
public interface IKeyValueCache
{
    /// <summary>Head dimension d.</summary>
    int HeadDimension { get; }

    /// <summary>Tokens held.</summary>
    int Count { get; }

    /// <summary>Bytes used by the stored keys and values (payload, excluding fixed overhead).</summary>
    long BytesUsed { get; }

    /// <summary>Appends one token's key and value (each length d).</summary>
    void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value);

    /// <summary>
    /// output = Σ_t softmax_t(scale · ⟨query, key_t⟩) · value_t over the first <paramref name="length"/> tokens
    /// (stable softmax). <paramref name="output"/> has length d.
    /// </summary>
    void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output);

    /// <summary>
    /// Grouped-query attention: several query heads that share this KV head, queries (g·d values, head-major) attend
    /// over the same first <paramref name="length"/> tokens; outputs (g·d) receive one result per query head.
    /// The default runs <see cref="Attend"/> once per query head, reusing the cache's storage and scratch.
    /// </summary>
    void AttendGroup(ReadOnlySpan<float> queries, float scale, int length, Span<float> outputs)
    {
        int d = HeadDimension;
        CacheArguments.Group(queries.Length, outputs.Length, d);
        for (int h = 0; h < queries.Length; h += d) Attend(queries.Slice(h, d), scale, length, outputs.Slice(h, d));
    }

    /// <summary>Drops every token after the first <paramref name="count"/>.</summary>
    void Truncate(int count);

    /// <summary>Drops every token.</summary>
    void Clear();
}
