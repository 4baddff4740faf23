namespace FibQuant.Server.Caching;

/// <summary>How a stream of a session's KV cache is held in memory.</summary>
internal enum CacheStorageKind
{
    /// <summary>fp32 keys or values.</summary>
    Float32,

    /// <summary>fp16 keys or values.</summary>
    Float16,

    /// <summary>A FibQuant or TurboQuant codebook (norm + packed indices).</summary>
    Quantized,
}
