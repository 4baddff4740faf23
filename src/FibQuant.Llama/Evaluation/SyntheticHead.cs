using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>Synthetic keys, values and queries of one attention head (row-major, d values per vector).</summary>
public sealed class SyntheticHead
{
    internal SyntheticHead(SyntheticHeadOptions options, float[] keys, float[] values, float[] queries, int[] keyOutliers, int[] valueOutliers)
    {
        Options = options;
        Keys = keys;
        Values = values;
        Queries = queries;
        KeyOutlierChannels = keyOutliers;
        ValueOutlierChannels = valueOutliers;
    }

    /// <summary>The options it was generated from.</summary>
    public SyntheticHeadOptions Options { get; }

    /// <summary>Head dimension d.</summary>
    public int Dimension => Options.Dimension;

    /// <summary>T keys (T·d), RoPE applied at positions 0 … T−1.</summary>
    public ReadOnlyMemory<float> Keys { get; }

    /// <summary>T values (T·d).</summary>
    public ReadOnlyMemory<float> Values { get; }

    /// <summary>Queries (count·d), RoPE applied at position T.</summary>
    public ReadOnlyMemory<float> Queries { get; }

    /// <summary>The pre-RoPE key channels scaled as outliers (ascending).</summary>
    public ReadOnlyMemory<int> KeyOutlierChannels { get; }

    /// <summary>The value channels scaled as outliers (ascending).</summary>
    public ReadOnlyMemory<int> ValueOutlierChannels { get; }
}
