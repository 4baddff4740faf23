using System;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

/// <summary>Attention over the two streams: scores from the key stream, a stable softmax, values from the value stream.</summary>
public sealed partial class MixedPrecisionKvCache<TCodec>
{
    private float[] _scores;

    /// <summary>
    /// output = Σ_t softmax_t(scale · ⟨query, k_t⟩) · v_t over the first <paramref name="length"/> tokens, where k_t and
    /// v_t are what <see cref="DecodeKey"/> and <see cref="DecodeValue"/> return — computed without decoding a compressed
    /// key or value (see <see cref="MixedPrecisionKvCache{TCodec}"/>). Allocates nothing unless
    /// <paramref name="length"/> exceeds every earlier length.
    /// </summary>
    /// <exception cref="ArgumentException">The query holds NaN or ±∞, or a length is not d.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not finite, or length is outside [1, Count].</exception>
    /// <exception cref="InvalidOperationException">Another thread is inside a call on this cache.</exception>
    public void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(query.Length, nameof(query));
        CheckLength(output.Length, nameof(output));
        CacheArguments.Finite(query, scale, nameof(query));
        CheckAttendLength(length);
        AttendCore(query, 1, scale, length, output);
    }

    /// <summary>
    /// Grouped-query attention: g query heads sharing this KV head (queries: g·d values, head-major) attend over the first
    /// <paramref name="length"/> tokens; outputs (g·d) receive one result per head, each identical to <see cref="Attend"/>
    /// for that head. A full-precision stream is widened once per page for all heads; compressed values go through the
    /// value kernel once for all heads where it takes several. Allocates nothing unless g·length exceeds every earlier call.
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong or a query holds NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not finite, or length is outside [1, Count].</exception>
    /// <exception cref="InvalidOperationException">Another thread is inside a call on this cache.</exception>
    public void AttendGroup(ReadOnlySpan<float> queries, float scale, int length, Span<float> outputs)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        int d = HeadDimension;
        CacheArguments.Group(queries.Length, outputs.Length, d);
        CacheArguments.Finite(queries, scale, nameof(queries));
        CheckAttendLength(length);
        AttendCore(queries, queries.Length / d, scale, length, outputs);
    }

    /// <summary>scores[t] = scale · ⟨query, k_t⟩ for t &lt; <paramref name="length"/>, as <see cref="Attend"/> computes them.</summary>
    public void ComputeScores(ReadOnlySpan<float> query, float scale, int length, Span<float> scores)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(query.Length, nameof(query));
        CacheArguments.Finite(query, scale, nameof(query));
        CheckAttendLength(length);
        if (scores.Length < length) throw new ArgumentException($"scores must hold length = {length} values, got {scores.Length}.", nameof(scores));
        _keys.Scores(query, 1, scale, length, _windowStart, scores.Slice(0, length));
    }

    private void AttendCore(ReadOnlySpan<float> queries, int heads, float scale, int length, Span<float> outputs)
    {
        Span<float> p = ScoresFor((long)heads * length);
        _keys.Scores(queries, heads, scale, length, _windowStart, p);
        for (int h = 0; h < heads; h++)
        {
            Span<float> row = p.Slice(h * length, length);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Sum(row), row);
        }

        _values.Accumulate(p, heads, length, _windowStart, outputs);
    }

    private Span<float> ScoresFor(long length) => AttentionScratch.GrowScores(ref _scores, length);

    private void CheckAttendLength(int length) => CacheArguments.AttendLength(length, Count);
}
