namespace FibQuant.Llama.Evaluation;

/// <summary>The key and value codecs of one layer.</summary>
/// <param name="Keys">How the layer's keys are stored.</param>
/// <param name="Values">How the layer's values are stored.</param>
public readonly record struct LayerCodecs(CacheCodec Keys, CacheCodec Values);
