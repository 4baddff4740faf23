using System;

namespace FibQuant.Llama;

/// <summary>
/// Receives every attention output of a forward pass, so that an evaluator can compare the outputs of a model
/// attending through compressed KV caches with those of an fp32 reference. Sessions without an observer pay
/// nothing for this hook.
/// </summary>
public interface IAttentionObserver
{
    /// <summary>
    /// Called once per (layer, query head) at each position with that head's attention output (length head_size),
    /// i.e. softmax-weighted sum of the cached values, before the output projection. The span is only valid
    /// during the call.
    /// </summary>
    void OnAttentionOutput(int layer, int head, int position, ReadOnlySpan<float> output);
}
