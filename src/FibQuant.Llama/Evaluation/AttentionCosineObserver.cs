using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Observer of the compressed session: compares each attention output with the reference one that an
/// <see cref="AttentionRecorder"/> holds for the same token (sessions run in lockstep, reference first) and
/// accumulates the cosine per (layer, query head).
/// </summary>
public sealed class AttentionCosineObserver : IAttentionObserver
{
    private readonly AttentionRecorder _reference;
    private readonly double[] _sums;
    private readonly long[] _counts;
    private readonly int _heads;

    /// <summary>Creates an accumulator comparing against <paramref name="reference"/>.</summary>
    public AttentionCosineObserver(AttentionRecorder reference, int layers, int heads)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        _reference = reference;
        _heads = heads;
        _sums = new double[layers * heads];
        _counts = new long[layers * heads];
    }

    /// <inheritdoc />
    public void OnAttentionOutput(int layer, int head, int position, ReadOnlySpan<float> output)
    {
        int index = layer * _heads + head;
        _sums[index] += VectorSimilarity.Cosine(_reference.Output(layer, head), output);
        _counts[index]++;
    }

    /// <summary>Mean cosine of (<paramref name="layer"/>, <paramref name="head"/>) over the compared tokens (NaN if none).</summary>
    public double MeanCosine(int layer, int head)
    {
        int index = layer * _heads + head;
        return _counts[index] == 0 ? double.NaN : _sums[index] / _counts[index];
    }

    /// <summary>The per-head means averaged over every (layer, head).</summary>
    public double MeanOverHeads()
    {
        double total = 0;
        for (int i = 0; i < _sums.Length; i++) total += _counts[i] == 0 ? double.NaN : _sums[i] / _counts[i];
        return total / _sums.Length;
    }

    /// <summary>The lowest per-head mean cosine.</summary>
    public double WorstHead()
    {
        double worst = double.PositiveInfinity;
        for (int i = 0; i < _sums.Length; i++) worst = Math.Min(worst, _counts[i] == 0 ? double.NaN : _sums[i] / _counts[i]);
        return worst;
    }
}
