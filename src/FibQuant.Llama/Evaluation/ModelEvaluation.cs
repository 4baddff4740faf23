namespace FibQuant.Llama.Evaluation;

/// <summary>What <see cref="ModelEvaluator"/> measured for one cache configuration.</summary>
/// <param name="Windows">Windows evaluated.</param>
/// <param name="PredictedTokens">Tokens predicted (every token of every window).</param>
/// <param name="TotalNll">Σ −log p over the predicted tokens (nats).</param>
/// <param name="AttentionCosine">Mean over (layer, query head) of the mean cosine with the fp32 attention output; NaN when not compared.</param>
/// <param name="WorstHeadCosine">The lowest per-(layer, head) mean cosine; NaN when not compared.</param>
/// <param name="CacheBytes">Cache payload bytes (<c>BytesUsed</c>) summed over the windows' full caches.</param>
/// <param name="Float16Bytes">Bytes the same tokens take in fp16 caches (2 · d · 2 per token, layer and KV head).</param>
public readonly record struct ModelEvaluation(int Windows, long PredictedTokens, double TotalNll, double AttentionCosine,
    double WorstHeadCosine, long CacheBytes, long Float16Bytes)
{
    /// <summary>Mean NLL per predicted token (nats).</summary>
    public double MeanNll => TotalNll / PredictedTokens;

    /// <summary>exp(mean NLL).</summary>
    public double Perplexity => System.Math.Exp(MeanNll);

    /// <summary>Measured compression of the in-memory cache against fp16 (fp16 bytes ÷ cache bytes).</summary>
    public double CompressionRatio => (double)Float16Bytes / CacheBytes;
}
