using System;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

/// <summary>Compressed-domain attention: scores from per-block lookup tables, values accumulated in the rotated domain.</summary>
public sealed partial class CompressedKvCache<TCodec>
{
    private readonly AttentionScratch _scratch;

    /// <summary>
    /// output = Σ_t softmax_t(scale · ⟨query, k̂_t⟩) · v̂_t over the first <paramref name="length"/> tokens, without decoding a
    /// key or value: q' = Π q once; LUT_i[n] = ⟨q'_i, c_n⟩; score_t = scale · ν_t · Σ_i LUT_i[idx_{t,i}] (by
    /// <see cref="KeyScoreKernel"/>); stable softmax; Σ_t p_t ν_t c_idx accumulated per block in the rotated domain and
    /// rotated back once. Tokens in the full-precision window use their fp32 key and value. Allocates nothing
    /// unless <paramref name="length"/> exceeds every earlier length.
    /// </summary>
    /// <exception cref="ArgumentException">The query holds NaN or ±∞, or the scale is not finite.</exception>
    /// <exception cref="InvalidOperationException">Another thread is inside a call on this cache.</exception>
    public void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckQuery(query, scale);
        CheckLength(output.Length, nameof(output));
        CheckAttendLength(length);
        Span<float> p = _scratch.ScoresFor(length);
        ScoresCore(query, scale, length, p);

        float max = TensorPrimitives.Max(p);
        TensorPrimitives.Subtract(p, max, p);
        TensorPrimitives.Exp(p, p);
        TensorPrimitives.Multiply(p, 1f / TensorPrimitives.Sum(p), p);

        int compressed = Math.Min(length, _windowStart);
        if (compressed > 0) AccumulateValues(p.Slice(0, compressed), output);
        else output.Clear();
        for (int t = compressed; t < length; t++) TensorPrimitives.MultiplyAdd(_window!.Value(t), p[t], output, output);
    }

    /// <summary>
    /// scores[t] = scale · ⟨query, k̂_t⟩ for t &lt; <paramref name="length"/>, computed as <see cref="Attend"/> computes them
    /// (compressed domain, current <see cref="KeyScoreKernel"/>; fp32 inside the window).
    /// </summary>
    public void ComputeScores(ReadOnlySpan<float> query, float scale, int length, Span<float> scores)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckQuery(query, scale);
        CheckAttendLength(length);
        if (scores.Length < length) throw new ArgumentException($"scores must hold length = {length} values, got {scores.Length}.", nameof(scores));
        ScoresCore(query, scale, length, scores.Slice(0, length));
    }

    private void ScoresCore(ReadOnlySpan<float> query, float scale, int length, Span<float> scores)
    {
        int compressed = Math.Min(length, _windowStart);
        if (compressed > 0)
        {
            _keyCodec.Rotate(query, _scratch.Rotated);
            _keyCodec.BuildScoreTable(_scratch.Rotated, _scratch.Table);
            bool fast = _kernel == ScoreKernel.FastScan;
            QuantizedScoreTable? table = _scratch.Quantized;
            if (fast) table!.Quantize(_scratch.Table);
            Span<float> group = _scratch.Group;
            for (int start = 0; start < compressed; start += PageTokens)
            {
                int page = start / PageTokens;
                int tokens = Math.Min(PageTokens, compressed - start);
                ReadOnlySpan<byte> codes = _keys.PageCodes(page);
                ReadOnlySpan<float> norms = _keys.PageNorms(page);
                for (int g = 0; g < tokens; g += PagedCodes.GroupTokens)
                {
                    ReadOnlySpan<byte> groupCodes = codes.Slice(g / PagedCodes.GroupTokens * _keys.GroupBytes, _keys.GroupBytes);
                    if (fast) FastScanKernel.ScoreGroup(groupCodes, table!.Table, _keys.StoredBlocks, table.Bias, table.InverseScale, group);
                    else ExactScanKernel.ScoreGroup(_keys.Layout, groupCodes, _keys.Blocks, _keys.Codewords, _scratch.Table, group);
                    int n = Math.Min(PagedCodes.GroupTokens, tokens - g);
                    TensorPrimitives.Multiply(group.Slice(0, n), norms.Slice(g, n), scores.Slice(start + g, n));
                }
            }

            TensorPrimitives.Multiply(scores.Slice(0, compressed), scale, scores.Slice(0, compressed));
        }

        for (int t = compressed; t < length; t++) scores[t] = scale * TensorPrimitives.Dot(query, _window!.Key(t));
    }

    private void AccumulateValues(ReadOnlySpan<float> p, Span<float> output)
    {
        Span<float> histogram = _scratch.Histogram;
        histogram.Clear();
        Span<float> weights = _scratch.Weights;
        for (int start = 0; start < p.Length; start += PageTokens)
        {
            int page = start / PageTokens;
            int tokens = Math.Min(PageTokens, p.Length - start);
            TensorPrimitives.Multiply(p.Slice(start, tokens), _values.PageNorms(page).AsSpan(0, tokens), weights.Slice(0, tokens));
            ValueHistogram.Accumulate(_values, page, tokens, weights, histogram);
        }

        ValueHistogram.Reconstruct(histogram, _valueCodec.CodewordTable, _values.Blocks, _valueCodec.BlockSize, _scratch.Accumulated);
        _valueCodec.InverseRotate(_scratch.Accumulated, output);
    }

    private void CheckQuery(ReadOnlySpan<float> query, float scale)
    {
        CheckLength(query.Length, nameof(query));
        if (!float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be a finite number.");
        for (int i = 0; i < query.Length; i++)
        {
            if (!float.IsFinite(query[i]))
                throw new ArgumentException($"query holds {query[i]} at index {i}; attention needs finite values.", nameof(query));
        }
    }

    private void CheckAttendLength(int length)
    {
        if (length < 1 || length > Count) throw new ArgumentOutOfRangeException(nameof(length), length, $"length must be in [1, {Count}].");
    }
}
