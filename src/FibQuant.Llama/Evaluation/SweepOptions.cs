using System.Collections.Generic;

namespace FibQuant.Llama.Evaluation;

/// <summary>What a <see cref="SweepRunner"/> run covers.</summary>
public sealed record SweepOptions
{
    /// <summary>The small CI sweep: a few configurations, <see cref="QuickWindows"/> windows, small synthetic heads, no allocation.</summary>
    public bool Quick { get; init; }

    /// <summary>Windows evaluated in a quick sweep.</summary>
    public const int QuickWindows = 2;

    /// <summary>Also measure each configuration's perplexity on the whole text file (slow).</summary>
    public bool WholeFile { get; init; }

    /// <summary>Bytes of the text prefix (<see cref="PerplexityProtocol.PrefixBytes"/> by default).</summary>
    public int PrefixBytes { get; init; } = PerplexityProtocol.PrefixBytes;

    /// <summary>Budgets (bits per cached coordinate) for automatic rate allocation; each gets an allocated and a uniform row.</summary>
    public IReadOnlyList<double> Budgets { get; init; } = new[] { 1.0, 1.5, 2.0, 3.0 };

    /// <summary>The calibration text of the allocation (disjoint from the evaluation text); null: no allocation.</summary>
    public string? CalibrationTextPath { get; init; }

    /// <summary>Calibration windows of <see cref="PerplexityProtocol.WindowTokens"/> tokens from the start of the calibration text.</summary>
    public int CalibrationWindows { get; init; } = 1;

    /// <summary>Synthetic head dimensions (empty: no synthetic rows).</summary>
    public IReadOnlyList<int> SyntheticDimensions { get; init; } = new[] { 64, 128 };

    /// <summary>Tokens per synthetic head.</summary>
    public int SyntheticTokens { get; init; } = 1024;

    /// <summary>Queries per synthetic head.</summary>
    public int SyntheticQueries { get; init; } = 256;

    /// <summary>Seed of the synthetic heads.</summary>
    public ulong SyntheticSeed { get; init; } = 1;
}
