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
        AttendCore(query, 1, scale, length, output);
    }

    /// <summary>
    /// Grouped-query attention in one pass over the cache: g query heads sharing this KV head (queries: g·d values,
    /// head-major) attend over the first <paramref name="length"/> tokens; outputs (g·d) receive one result per head,
    /// each identical to <see cref="Attend"/> for that head. Every group of 32 key codes is scored for all heads while it
    /// is in cache, and every value code is looked up once for all heads. Allocates nothing unless g or g·length
    /// exceeds every earlier call.
    /// </summary>
    /// <exception cref="ArgumentException">A query holds NaN or ±∞, or the scale is not finite.</exception>
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
        _scratch.EnsureHeads(1);
        ScoresCore(query, 1, scale, length, scores.Slice(0, length));
    }

    private void AttendCore(ReadOnlySpan<float> queries, int heads, float scale, int length, Span<float> outputs)
    {
        int d = HeadDimension;
        _scratch.EnsureHeads(heads);
        Span<float> p = _scratch.ScoresFor((long)heads * length);
        ScoresCore(queries, heads, scale, length, p);
        int compressed = Math.Min(length, _windowStart);
        if (compressed > 0 && _scratch.NibbleTables is not null)
        {
            AttendNibbles(p, heads, length, compressed, outputs);
            return;
        }

        for (int h = 0; h < heads; h++)
        {
            Span<float> row = p.Slice(h * length, length);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Sum(row), row);
        }

        if (compressed > 0) AccumulateValues(p, heads, length, compressed, outputs);
        else outputs.Clear();
        for (int h = 0; h < heads; h++)
        {
            Span<float> output = outputs.Slice(h * d, d);
            for (int t = compressed; t < length; t++) TensorPrimitives.MultiplyAdd(_window!.Value(t), p[h * length + t], output, output);
        }
    }

    /// <summary>
    /// Softmax and values for 4-bit value codes in one pass over the pages: each page's numerators exp(s_t − max) are
    /// computed while the page is in L1, laid out for <see cref="NibbleValueKernel"/> with the norms folded in; the
    /// output is divided by Σ_t exp(s_t − max) once at the end instead of normalising every probability.
    /// </summary>
    private void AttendNibbles(Span<float> scores, int heads, int length, int compressed, Span<float> outputs)
    {
        int d = HeadDimension, k = _valueCodec.BlockSize, perHead = _scratch.NibbleAccumulators;
        Span<float> maxima = _scratch.Maxima, sums = _scratch.Sums;
        for (int h = 0; h < heads; h++)
        {
            maxima[h] = TensorPrimitives.Max(scores.Slice(h * length, length));
            sums[h] = 0f;
        }

        Span<float> accumulators = _scratch.Accumulators.AsSpan(0, heads * perHead);
        accumulators.Clear();
        Span<float> weights = _scratch.Weights, norms = _scratch.Norms;
        for (int start = 0; start < compressed; start += PageTokens)
        {
            int page = start / PageTokens;
            int tokens = Math.Min(PageTokens, compressed - start);
            int padded = (tokens + PagedCodes.GroupTokens - 1) / PagedCodes.GroupTokens * PagedCodes.GroupTokens;
            // Norms past the page's end are stale but finite and meet zero numerators.
            _values.PageNorms(page, norms.Slice(0, tokens));
            for (int h = 0; h < heads; h++)
                sums[h] += NibbleValueKernel.ArrangeWeights(scores.Slice(h * length + start, tokens), maxima[h], norms,
                    weights.Slice(h * PageTokens, PageTokens));

            NibbleValueKernel.AccumulatePage(_values.PageCodes(page), padded / PagedCodes.GroupTokens, _values.GroupBytes,
                _values.StoredBlocks, _scratch.NibbleTables, k, weights, PageTokens, heads, accumulators);
        }

        for (int h = 0; h < heads; h++)
        {
            Span<float> output = outputs.Slice(h * d, d);
            NibbleValueKernel.Reduce(accumulators.Slice(h * perHead, perHead), k, _scratch.Accumulated);
            _valueCodec.InverseRotate(_scratch.Accumulated, output);
            Span<float> row = scores.Slice(h * length, length);
            for (int t = compressed; t < length; t++)
            {
                float e = MathF.Exp(row[t] - maxima[h]);
                sums[h] += e;
                TensorPrimitives.MultiplyAdd(_window!.Value(t), e, output, output);
            }

            TensorPrimitives.Multiply(output, 1f / sums[h], output);
        }
    }

    /// <summary>Scores of <paramref name="heads"/> queries, one row of <paramref name="length"/> per head.</summary>
    private void ScoresCore(ReadOnlySpan<float> queries, int heads, float scale, int length, Span<float> scores)
    {
        int d = HeadDimension;
        int compressed = Math.Min(length, _windowStart);
        bool fast = _kernel == ScoreKernel.FastScan;
        if (compressed > 0)
        {
            for (int h = 0; h < heads; h++)
            {
                _keyCodec.Rotate(queries.Slice(h * d, d), _scratch.Rotated);
                _keyCodec.BuildScoreTable(_scratch.Rotated, _scratch.Table(h));
                if (fast) _scratch.Quantized(h)!.Quantize(_scratch.Table(h));
            }

            // Fast scan scores a whole page per call and every head while the page's codes are in L1 (8 KiB at d = 128,
            // k = 2); the fp32 tables (B·N floats per head) would not stay in L1 together, so the exact kernel makes one
            // pass per head, writing a full group's scores straight into the row.
            Span<float> group = _scratch.Group;
            int headsPerPass = fast ? heads : 1;
            for (int first = 0; first < heads; first += headsPerPass)
            for (int start = 0; start < compressed; start += PageTokens)
            {
                int page = start / PageTokens;
                int tokens = Math.Min(PageTokens, compressed - start);
                ReadOnlySpan<byte> codes = _keys.PageCodes(page);
                // Fast scan multiplies by ν_t in registers (scale folded into its bias and step); the exact kernel's page
                // is multiplied by scale · ν_t afterwards. The buffer holds a whole page, so a partial group reads stale
                // finite norms for scores it discards.
                Span<float> norms = _scratch.Norms.AsSpan(0, tokens);
                _keys.PageNorms(page, norms);
                if (fast)
                {
                    for (int h = first; h < first + headsPerPass; h++)
                    {
                        QuantizedScoreTable table = _scratch.Quantized(h)!;
                        FastScanKernel.ScorePageTimesNorms(codes, _keys.GroupBytes, tokens, table.Table, _keys.StoredBlocks, scale * table.Bias,
                            scale * table.InverseScale, _scratch.Norms, scores.Slice(h * length + start, tokens));
                    }

                    continue;
                }

                TensorPrimitives.Multiply(norms, scale, norms);
                for (int g = 0; g < tokens; g += PagedCodes.GroupTokens)
                {
                    ReadOnlySpan<byte> groupCodes = codes.Slice(g / PagedCodes.GroupTokens * _keys.GroupBytes, _keys.GroupBytes);
                    int n = Math.Min(PagedCodes.GroupTokens, tokens - g);
                    Span<float> row = scores.Slice(first * length + start + g, n);
                    // A partial last group goes through the 32-entry buffer: writing 32 would reach the next head's row.
                    Span<float> raw = n == PagedCodes.GroupTokens ? row : group;
                    ExactScanKernel.ScoreGroup(_keys.Layout, groupCodes, _keys.Blocks, _keys.Codewords, _scratch.Table(first), raw);
                    if (n < PagedCodes.GroupTokens) group.Slice(0, n).CopyTo(row);
                }

                Span<float> scored = scores.Slice(first * length + start, tokens);
                TensorPrimitives.Multiply(scored, norms, scored);
            }
        }

        for (int h = 0; h < heads; h++)
        {
            ReadOnlySpan<float> query = queries.Slice(h * d, d);
            for (int t = compressed; t < length; t++) scores[h * length + t] = scale * TensorPrimitives.Dot(query, _window!.Key(t));
        }
    }

    /// <summary>outputs[h] = Σ_t p[h·length + t] ν_t v̂_t over the first <paramref name="compressed"/> tokens.</summary>
    private void AccumulateValues(ReadOnlySpan<float> p, int heads, int length, int compressed, Span<float> outputs)
    {
        int d = HeadDimension;
        float[]? tables = _scratch.ValueTables;
        if (tables is null)
        {
            for (int h = 0; h < heads; h++) AccumulateHistogram(p.Slice(h * length, compressed), outputs.Slice(h * d, d));
            return;
        }

        Span<float> accumulators = _scratch.Accumulators.AsSpan(0, heads * d * ValuePermuteKernel.Lanes);
        accumulators.Clear();
        Span<float> weights = _scratch.Weights;
        for (int start = 0; start < compressed; start += PageTokens)
        {
            int page = start / PageTokens;
            int tokens = Math.Min(PageTokens, compressed - start);
            int padded = (tokens + PagedCodes.GroupTokens - 1) / PagedCodes.GroupTokens * PagedCodes.GroupTokens;
            Span<float> norms = _scratch.Norms.AsSpan(0, tokens);
            _values.PageNorms(page, norms);
            for (int h = 0; h < heads; h++)
            {
                Span<float> row = weights.Slice(h * PageTokens, PageTokens);
                TensorPrimitives.Multiply(p.Slice(h * length + start, tokens), norms, row.Slice(0, tokens));
                row.Slice(tokens, padded - tokens).Clear();
            }

            ValuePermuteKernel.AccumulatePage(_values, page, tokens, tables, _valueCodec.BlockSize, weights, heads, accumulators);
        }

        for (int h = 0; h < heads; h++)
        {
            ValuePermuteKernel.Reduce(accumulators.Slice(h * d * ValuePermuteKernel.Lanes, d * ValuePermuteKernel.Lanes), _scratch.Accumulated);
            _valueCodec.InverseRotate(_scratch.Accumulated, outputs.Slice(h * d, d));
        }
    }

    private void AccumulateHistogram(ReadOnlySpan<float> p, Span<float> output)
    {
        Span<float> histogram = _scratch.Histogram;
        histogram.Clear();
        Span<float> weights = _scratch.Weights;
        for (int start = 0; start < p.Length; start += PageTokens)
        {
            int page = start / PageTokens;
            int tokens = Math.Min(PageTokens, p.Length - start);
            Span<float> norms = _scratch.Norms.AsSpan(0, tokens);
            _values.PageNorms(page, norms);
            TensorPrimitives.Multiply(p.Slice(start, tokens), norms, weights.Slice(0, tokens));
            ValueHistogram.Accumulate(_values, page, tokens, weights, histogram);
        }

        ValueHistogram.Reconstruct(histogram, _valueCodec.CodewordTable, _values.Blocks, _valueCodec.BlockSize, _scratch.Accumulated);
        _valueCodec.InverseRotate(_scratch.Accumulated, output);
    }

    private void CheckQuery(ReadOnlySpan<float> query, float scale)
    {
        CheckLength(query.Length, nameof(query));
        CacheArguments.Finite(query, scale, nameof(query));
    }

    private void CheckAttendLength(int length) => CacheArguments.AttendLength(length, Count);
}
