using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>The attention top-k: which keys carry the largest softmax weights.</summary>
public static class TopWeights
{
    /// <summary>Keys compared by the attention top-10 recall.</summary>
    public const int Count = 10;

    /// <summary>
    /// Writes the indices of the <paramref name="indices"/>.Length largest weights, largest first (ties: lower index
    /// first); requires weights.Length ≥ indices.Length.
    /// </summary>
    public static void Select(ReadOnlySpan<float> weights, Span<int> indices)
    {
        int k = indices.Length;
        if (weights.Length < k) throw new ArgumentException($"weights must hold at least {k} entries, got {weights.Length}.", nameof(weights));
        int filled = 0;
        for (int t = 0; t < weights.Length; t++)
        {
            float w = weights[t];
            if (filled == k && w <= weights[indices[k - 1]]) continue;
            int slot = filled < k ? filled++ : k - 1;
            while (slot > 0 && weights[indices[slot - 1]] < w)
            {
                indices[slot] = indices[slot - 1];
                slot--;
            }

            indices[slot] = t;
        }
    }

    /// <summary>
    /// How many of <paramref name="referenceTop"/> (indices) are among the <paramref name="referenceTop"/>.Length largest
    /// entries of <paramref name="weights"/>: an index counts when its weight is at least the k-th largest weight.
    /// </summary>
    public static int Recall(ReadOnlySpan<int> referenceTop, ReadOnlySpan<float> weights, Span<int> scratch)
    {
        Select(weights, scratch.Slice(0, referenceTop.Length));
        float threshold = weights[scratch[referenceTop.Length - 1]];
        int hits = 0;
        foreach (int index in referenceTop)
        {
            if (weights[index] >= threshold) hits++;
        }

        return Math.Min(hits, referenceTop.Length);
    }
}
