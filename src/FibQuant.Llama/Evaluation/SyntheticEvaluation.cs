namespace FibQuant.Llama.Evaluation;

/// <summary>What <see cref="SyntheticAttentionEvaluator"/> measured for one configuration.</summary>
/// <param name="MeanCosine">Mean over the queries of the cosine between compressed and fp32 attention outputs.</param>
/// <param name="MinCosine">The lowest per-query cosine.</param>
/// <param name="CacheBytes">The compressed cache's payload bytes.</param>
/// <param name="Float16Bytes">Bytes of the same tokens in fp16.</param>
public readonly record struct SyntheticEvaluation(double MeanCosine, double MinCosine, long CacheBytes, long Float16Bytes)
{
    /// <summary>Measured in-memory compression against fp16.</summary>
    public double CompressionRatio => (double)Float16Bytes / CacheBytes;
}
