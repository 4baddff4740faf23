namespace FibQuant.Llama.Evaluation;

/// <summary>The storage format of one stream (keys or values) of a KV cache.</summary>
public enum CacheCodecKind
{
    /// <summary>Uncompressed fp32 (the reference).</summary>
    Float32 = 0,

    /// <summary>fp16 (the usual serving baseline: compression ratio 1).</summary>
    Float16 = 1,

    /// <summary>A FibQuant codebook (k ≥ 2) or scalar TurboQuant (k = 1): fp16 norm header + packed indices.</summary>
    Codebook = 2,

    /// <summary>llama.cpp q8_0: blocks of 32, fp16 scale, 8.5 bits per value.</summary>
    Q8_0 = 3,

    /// <summary>llama.cpp q4_0: blocks of 32, fp16 scale, 4.5 bits per value.</summary>
    Q4_0 = 4,
}
