using System;
using FibQuant.Attention;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Attention fidelity on a <see cref="SyntheticHead"/>: all T tokens go into an fp32 <see cref="Float32KeyValueCache"/> and into the cache under
/// test; each query attends over all of them in both (softmax scale 1/√d) and the outputs are compared by cosine.
/// </summary>
public static class SyntheticAttentionEvaluator
{
    /// <summary>Evaluates a cache factory (called once, as for layer 0, head 0) on <paramref name="head"/>.</summary>
    public static SyntheticEvaluation Evaluate(SyntheticHead head, Func<int, int, int, IKeyValueCache> cacheFactory)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(cacheFactory);
        int d = head.Dimension, tokens = head.Options.Tokens;
        var reference = new Float32KeyValueCache(d, tokens);
        IKeyValueCache cache = cacheFactory(0, 0, d);
        ReadOnlySpan<float> keys = head.Keys.Span, values = head.Values.Span, queries = head.Queries.Span;
        for (int t = 0; t < tokens; t++)
        {
            reference.Append(keys.Slice(t * d, d), values.Slice(t * d, d));
            cache.Append(keys.Slice(t * d, d), values.Slice(t * d, d));
        }

        float scale = (float)(1.0 / Math.Sqrt(d));
        var expected = new float[d];
        var actual = new float[d];
        double sum = 0, min = double.PositiveInfinity;
        for (int q = 0; q < head.Options.Queries; q++)
        {
            ReadOnlySpan<float> query = queries.Slice(q * d, d);
            reference.Attend(query, scale, tokens, expected);
            cache.Attend(query, scale, tokens, actual);
            double cosine = VectorSimilarity.Cosine(expected, actual);
            sum += cosine;
            min = Math.Min(min, cosine);
        }

        return new SyntheticEvaluation(sum / head.Options.Queries, min, cache.BytesUsed, 4L * tokens * d);
    }
}
