using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>Shape and seed of a synthetic attention head (see <see cref="SyntheticHeadGenerator"/>).</summary>
public sealed record SyntheticHeadOptions
{
    /// <summary>Creates options; every value is validated.</summary>
    /// <param name="dimension">Head dimension d (even, ≥ 2).</param>
    /// <param name="tokens">Cached tokens T.</param>
    /// <param name="queries">Random queries attending over all T tokens.</param>
    /// <param name="outlierChannels">Channels of keys and of values whose scale is multiplied by <paramref name="outlierScale"/>.</param>
    /// <param name="outlierScale">Scale factor of the outlier channels.</param>
    /// <param name="seed">Seed of every random draw.</param>
    public SyntheticHeadOptions(int dimension, int tokens = 1024, int queries = 64, int outlierChannels = 4, double outlierScale = 4.0, ulong seed = 1)
    {
        if (dimension < 2 || dimension % 2 != 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "d must be even and at least 2 (RoPE pairs).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queries);
        if (outlierChannels < 0 || outlierChannels > dimension)
            throw new ArgumentOutOfRangeException(nameof(outlierChannels), outlierChannels, $"Outlier channels must be in [0, {dimension}].");
        if (!(outlierScale >= 1.0) || double.IsInfinity(outlierScale))
            throw new ArgumentOutOfRangeException(nameof(outlierScale), outlierScale, "The outlier scale must be finite and at least 1.");
        Dimension = dimension;
        Tokens = tokens;
        Queries = queries;
        OutlierChannels = outlierChannels;
        OutlierScale = outlierScale;
        Seed = seed;
    }

    /// <summary>Head dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Cached tokens T.</summary>
    public int Tokens { get; }

    /// <summary>Number of random queries.</summary>
    public int Queries { get; }

    /// <summary>Outlier channels per stream.</summary>
    public int OutlierChannels { get; }

    /// <summary>Scale of the outlier channels.</summary>
    public double OutlierScale { get; }

    /// <summary>Seed.</summary>
    public ulong Seed { get; }
}
