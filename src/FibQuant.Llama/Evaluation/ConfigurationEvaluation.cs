using System.Collections.Generic;

namespace FibQuant.Llama.Evaluation;

/// <summary>What <see cref="ReferenceComparison"/> measured for one cache configuration against the fp32 <see cref="ReferenceTrace"/>.</summary>
/// <param name="PredictedTokens">Tokens predicted.</param>
/// <param name="Perplexity">exp(mean NLL) of the targets.</param>
/// <param name="KlMean">Mean over tokens of KL(fp32 next-token distribution ‖ this one), nats.</param>
/// <param name="KlP99">99th percentile of the per-token KL (nearest rank), nats.</param>
/// <param name="Top1Agreement">Fraction of tokens whose most likely next token equals the fp32 one.</param>
/// <param name="AttentionCosine">Mean over (layer, query head) of the mean attention-output cosine with fp32.</param>
/// <param name="WorstHeadCosine">The lowest per-(layer, head) mean cosine.</param>
/// <param name="Top10Recall">Mean over (layer, head) of the mean fraction of fp32's 10 largest-weight keys that are among this cache's 10 largest (positions attending to more than 10 keys).</param>
/// <param name="LayerCosine">Mean attention cosine per layer (over its query heads).</param>
/// <param name="LayerRecall">Mean top-10 recall per layer.</param>
/// <param name="CacheBytes">Stored bytes (<see cref="ReconstructedKvCache.BytesUsed"/>) summed over the windows' full caches.</param>
/// <param name="Float16Bytes">Bytes the same tokens take in fp16 caches.</param>
public sealed record ConfigurationEvaluation(long PredictedTokens, double Perplexity, double KlMean, double KlP99, double Top1Agreement,
    double AttentionCosine, double WorstHeadCosine, double Top10Recall, IReadOnlyList<double> LayerCosine, IReadOnlyList<double> LayerRecall,
    long CacheBytes, long Float16Bytes)
{
    /// <summary>Measured compression against fp16 (fp16 bytes ÷ stored bytes).</summary>
    public double CompressionRatio => (double)Float16Bytes / CacheBytes;
}
