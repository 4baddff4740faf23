using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Observer of the reference (fp32) session: keeps the latest attention output of every (layer, query head), so that
/// the compressed session, run in lockstep on the same token, can be compared with it.
/// </summary>
public sealed class AttentionRecorder : IAttentionObserver
{
    private readonly float[] _outputs;
    private readonly int _heads;
    private readonly int _headDimension;

    /// <summary>Creates a recorder for a model with the given shape.</summary>
    public AttentionRecorder(int layers, int heads, int headDimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDimension);
        _heads = heads;
        _headDimension = headDimension;
        _outputs = new float[layers * heads * headDimension];
    }

    /// <summary>The last recorded output of (<paramref name="layer"/>, <paramref name="head"/>).</summary>
    public ReadOnlySpan<float> Output(int layer, int head) =>
        new(_outputs, (layer * _heads + head) * _headDimension, _headDimension);

    /// <inheritdoc />
    public void OnAttentionOutput(int layer, int head, int position, ReadOnlySpan<float> output) =>
        output.CopyTo(_outputs.AsSpan((layer * _heads + head) * _headDimension, _headDimension));
}
