namespace FibQuant.Design;

/// <summary>Progress of a codebook design: Lloyd–Max runs finished out of the total planned.</summary>
public readonly struct DesignProgress
{
    /// <summary>Creates a progress report.</summary>
    public DesignProgress(int completedRuns, int totalRuns, double bestDistortion, string stage)
    {
        CompletedRuns = completedRuns;
        TotalRuns = totalRuns;
        BestDistortion = bestDistortion;
        Stage = stage;
    }

    /// <summary>Lloyd–Max runs finished.</summary>
    public int CompletedRuns { get; }

    /// <summary>Lloyd–Max runs planned: one per (L, M_a) pair, then the remaining restarts.</summary>
    public int TotalRuns { get; }

    /// <summary>Best per-vector training distortion so far.</summary>
    public double BestDistortion { get; }

    /// <summary>What the designer is doing.</summary>
    public string Stage { get; }
}
