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
        int compressed = Math.Min(length, _windowStart);
        if (compressed > 0 && _scratch.NibbleTables is not null)
        {
            AttendNibbles(queries, heads, scale, length, compressed, outputs);
            return;
        }

        Span<float> p = _scratch.ScoresFor((long)heads * length);
        ScoresCore(queries, heads, scale, length, p);

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
    /// Scores, softmax and values for 4-bit value codes in one pass over the pages (online softmax, as FlashAttention):
    /// each page is scored for every head into an L1 buffer, each head's running maximum m is raised to the page's
    /// largest score (its sums so far multiplied by exp(m_old − m_new)), the numerators exp(s_t − m) are laid out for
    /// <see cref="NibbleValueKernel"/> with the value norms folded in, and the output is divided by Σ_t exp(s_t − m) once
    /// at the end. No score row of the whole context is written, so a group of heads keeps its working set in L1/L2.
    /// </summary>
    private void AttendNibbles(ReadOnlySpan<float> queries, int heads, float scale, int length, int compressed, Span<float> outputs)
    {
        int d = HeadDimension, k = _valueCodec.BlockSize, perHead = _scratch.NibbleAccumulators;
        PrepareScoreTables(queries, heads);
        Span<float> maxima = _scratch.Maxima.AsSpan(0, heads), sums = _scratch.Sums.AsSpan(0, heads);
        maxima.Fill(float.NegativeInfinity);
        sums.Clear();
        Span<float> accumulators = _scratch.Accumulators.AsSpan(0, heads * perHead);
        accumulators.Clear();
        Span<float> pageScores = _scratch.PageScores, weights = _scratch.Weights, norms = _scratch.Norms;
        for (int start = 0; start < compressed; start += PageTokens)
        {
            int page = start / PageTokens;
            int tokens = Math.Min(PageTokens, compressed - start);
            int padded = (tokens + PagedCodes.GroupTokens - 1) / PagedCodes.GroupTokens * PagedCodes.GroupTokens;
            ScorePage(page, tokens, heads, scale, pageScores, PageTokens);
            // Norms past the page's end are stale but finite and meet zero numerators.
            _values.PageNorms(page, norms.Slice(0, tokens));
            for (int h = 0; h < heads; h++)
            {
                ReadOnlySpan<float> row = pageScores.Slice(h * PageTokens, tokens);
                float max = TensorPrimitives.Max(row);
                if (max > maxima[h])
                {
                    if (sums[h] > 0f) Rescale(h, MathF.Exp(maxima[h] - max), accumulators.Slice(h * perHead, perHead));
                    maxima[h] = max;
                }

                sums[h] += NibbleValueKernel.ArrangeWeights(row, maxima[h], norms, weights.Slice(h * PageTokens, PageTokens));
            }

            NibbleValueKernel.AccumulatePage(_values.PageCodes(page), padded / PagedCodes.GroupTokens, _values.GroupBytes,
                _values.StoredBlocks, _scratch.NibbleTables!, k, weights, PageTokens, heads, accumulators);
        }

        for (int h = 0; h < heads; h++)
        {
            Span<float> output = outputs.Slice(h * d, d);
            NibbleValueKernel.Reduce(accumulators.Slice(h * perHead, perHead), k, _scratch.Accumulated);
            _valueCodec.InverseRotate(_scratch.Accumulated, output);
            ReadOnlySpan<float> query = queries.Slice(h * d, d);
            for (int t = compressed; t < length; t++)
            {
                float score = scale * TensorPrimitives.Dot(query, _window!.Key(t));
                if (score > maxima[h])
                {
                    Rescale(h, MathF.Exp(maxima[h] - score), output);
                    maxima[h] = score;
                }

                float e = MathF.Exp(score - maxima[h]);
                sums[h] += e;
                TensorPrimitives.MultiplyAdd(_window.Value(t), e, output, output);
            }

            TensorPrimitives.Multiply(output, 1f / sums[h], output);
        }
    }

    /// <summary>Multiplies head <paramref name="head"/>'s softmax denominator and its running sums by <paramref name="factor"/>.</summary>
    private void Rescale(int head, float factor, Span<float> running)
    {
        _scratch.Sums[head] *= factor;
        TensorPrimitives.Multiply(running, factor, running);
    }

    /// <summary>q' = Π q, LUT_i[n] = ⟨q'_i, c_n⟩ and, for fast scan, the 8-bit table, for every head.</summary>
    private void PrepareScoreTables(ReadOnlySpan<float> queries, int heads)
    {
        int d = HeadDimension;
        for (int h = 0; h < heads; h++)
        {
            _keyCodec.Rotate(queries.Slice(h * d, d), _scratch.Rotated);
            _keyCodec.BuildScoreTable(_scratch.Rotated, _scratch.Table(h));
            if (_kernel == ScoreKernel.FastScan) QuantizeForFastScan(h);
        }
    }

    /// <summary>
    /// Scores the first <paramref name="tokens"/> tokens of key page <paramref name="page"/> for every head:
    /// target[h·rowStride + t] = scale · ν_t · Σ_i LUT_i[idx_{t,i}] (fast scan: 8-bit table, ν_t and scale applied in
    /// registers). Heads go inner, so the page's codes stay in L1 across them (8 KiB at d = 128, k = 2).
    /// </summary>
    private void ScorePage(int page, int tokens, int heads, float scale, Span<float> target, int rowStride)
    {
        if (_kernel == ScoreKernel.FastScan)
        {
            FastScorePage(page, tokens, heads, scale, target, rowStride);
            return;
        }

        // The exact kernel reads the codes unpacked (PagedCodes.Layout).
        ReadOnlySpan<byte> codes = _keys.PageCodes(page);
        Span<float> norms = _scratch.Norms.AsSpan(0, tokens);
        _keys.PageNorms(page, norms);
        TensorPrimitives.Multiply(norms, scale, norms);
        Span<float> group = _scratch.Group;
        for (int h = 0; h < heads; h++)
        {
            for (int g = 0; g < tokens; g += PagedCodes.GroupTokens)
            {
                ReadOnlySpan<byte> groupCodes = codes.Slice(g / PagedCodes.GroupTokens * _keys.GroupBytes, _keys.GroupBytes);
                int n = Math.Min(PagedCodes.GroupTokens, tokens - g);
                Span<float> row = target.Slice(h * rowStride + g, n);
                // A partial last group goes through the 32-entry buffer: writing 32 could reach the next head's row.
                Span<float> raw = n == PagedCodes.GroupTokens ? row : group;
                ExactScanKernel.ScoreGroup(_keys.Layout, groupCodes, _keys.Blocks, _keys.Codewords, _scratch.Table(h), raw);
                if (n < PagedCodes.GroupTokens) group.Slice(0, n).CopyTo(row);
            }

            Span<float> scored = target.Slice(h * rowStride, tokens);
            TensorPrimitives.Multiply(scored, norms, scored);
        }
    }

    /// <summary>Scores of <paramref name="heads"/> queries, one row of <paramref name="length"/> per head.</summary>
    private void ScoresCore(ReadOnlySpan<float> queries, int heads, float scale, int length, Span<float> scores)
    {
        int d = HeadDimension;
        int compressed = Math.Min(length, _windowStart);
        if (compressed > 0)
        {
            PrepareScoreTables(queries, heads);
            for (int start = 0; start < compressed; start += PageTokens)
                ScorePage(start / PageTokens, Math.Min(PageTokens, compressed - start), heads, scale, scores.Slice(start), length);
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

            AccumulateValuePage(page, tokens, tables, weights, heads, accumulators);
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
