namespace FibQuant.Llama.Evaluation;

/// <summary>How a <see cref="KvCacheConfiguration"/> stores keys and values.</summary>
public enum CacheStorage
{
    /// <summary>Uncompressed fp32 (the reference).</summary>
    Float32 = 0,

    /// <summary>fp16 (the usual serving baseline: compression ratio 1).</summary>
    Float16 = 1,

    /// <summary>Quantized with FibQuant / TurboQuant codecs (keys and values may use different codebooks).</summary>
    Quantized = 2,
}
