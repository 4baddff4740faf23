using System;
using System.Collections.Generic;
using System.Threading;

namespace FibQuant.Design;

/// <summary>
/// The FibQuant construction (paper §3.3, appendix A): Beta-quantile shells × quasi-uniform directions, polished by
/// multi-restart Lloyd–Max on a spherical-Beta training sample, with the best (L, M_a) split of N.
/// </summary>
/// <remarks>
/// Search order, chosen to bound the cost: each (L, M_a) pair gets one Lloyd–Max run from its exact initial codebook
/// (restart 0); the best pair then gets restarts 1…R−1 from that codebook plus N(0, 0.01) noise per coordinate.
/// The lowest training distortion wins; ties keep the earlier candidate.
/// </remarks>
public static class CodebookDesigner
{
    /// <summary>Variance of the isotropic Gaussian noise added to the initial codebook for restarts 1…R−1.</summary>
    public const double RestartNoiseVariance = 0.01;

    /// <summary>Designs the codebook for <paramref name="spec"/>. Same spec ⇒ same bits, serial or parallel.</summary>
    public static Codebook Design(CodebookSpec spec, IProgress<DesignProgress>? progress = null, bool parallel = true,
        CancellationToken cancellationToken = default)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        int k = spec.BlockSize;
        int blocks = spec.BlocksPerVector;
        double[] samples = SphericalBetaSampler.Sample(spec.Dimension, k, spec.TrainingSamples,
            new DesignRandom(spec.Seed, DesignStream.Training), cancellationToken);

        List<ShellLayout> layouts = ShellLayouts(k, spec.Codewords);
        int totalRuns = layouts.Count + spec.Restarts - 1;
        int completed = 0;

        ShellLayout bestLayout = layouts[0];
        double[]? best = null;
        double bestDistortion = double.PositiveInfinity;
        foreach (ShellLayout layout in layouts)
        {
            double[] codebook = InitialCodebook(spec.Dimension, k, layout);
            LloydResult result = LloydMaxRefiner.Refine(samples, k, codebook, parallel, cancellationToken);
            if (result.Distortion < bestDistortion)
            {
                bestDistortion = result.Distortion;
                best = codebook;
                bestLayout = layout;
            }

            progress?.Report(new DesignProgress(++completed, totalRuns, bestDistortion * blocks, $"shells {layout.Shells} x {layout.DirectionsPerShell}"));
        }

        var noise = new DesignRandom(spec.Seed, DesignStream.RestartNoise);
        double sigma = Math.Sqrt(RestartNoiseVariance);
        for (int restart = 1; restart < spec.Restarts; restart++)
        {
            double[] codebook = InitialCodebook(spec.Dimension, k, bestLayout);
            for (int i = 0; i < codebook.Length; i++) codebook[i] += sigma * noise.NextGaussian();
            LloydResult result = LloydMaxRefiner.Refine(samples, k, codebook, parallel, cancellationToken);
            if (result.Distortion < bestDistortion)
            {
                bestDistortion = result.Distortion;
                best = codebook;
            }

            progress?.Report(new DesignProgress(++completed, totalRuns, bestDistortion * blocks, $"restart {restart}"));
        }

        var table = new float[best!.Length];
        for (int i = 0; i < table.Length; i++) table[i] = (float)best[i];
        double[] radii = ShellRadii.Compute(spec.Dimension, k, bestLayout.Shells);
        var radii32 = new float[radii.Length];
        for (int i = 0; i < radii.Length; i++) radii32[i] = (float)radii[i];
        float[] rotation = RotationDesign.Create(spec.Rotation, spec.Dimension, spec.Seed, cancellationToken);
        return new Codebook(spec, bestLayout.Shells, bestLayout.DirectionsPerShell, radii32, table, rotation, bestDistortion * blocks);
    }

    /// <summary>The initial radial–angular codebook: codeword ℓ·M_a + m = r_ℓ · u_m.</summary>
    public static double[] InitialCodebook(int dimension, int blockSize, ShellLayout layout)
    {
        double[] radii = ShellRadii.Compute(dimension, blockSize, layout.Shells);
        double[] directions = SphereDirections.Create(blockSize, layout.DirectionsPerShell);
        var codebook = new double[layout.Shells * layout.DirectionsPerShell * blockSize];
        int offset = 0;
        for (int l = 0; l < layout.Shells; l++)
        {
            for (int m = 0; m < layout.DirectionsPerShell; m++)
            {
                for (int j = 0; j < blockSize; j++) codebook[offset++] = radii[l] * directions[m * blockSize + j];
            }
        }

        return codebook;
    }

    /// <summary>
    /// The (L, M_a) splits of N that are tried: every divisor pair with M_a ≥ 2 (one direction per shell cannot span
    /// a sphere); for k = 1 only M_a = 2, which makes the result exactly scalar Lloyd–Max (TurboQuant).
    /// </summary>
    public static List<ShellLayout> ShellLayouts(int blockSize, int codewords)
    {
        var layouts = new List<ShellLayout>();
        for (int directions = 2; directions <= codewords; directions *= 2)
        {
            if (blockSize == 1 && directions != 2) break;
            layouts.Add(new ShellLayout(codewords / directions, directions));
        }

        return layouts;
    }
}

/// <summary>A split N = L · M_a into shells and directions per shell.</summary>
public readonly struct ShellLayout
{
    /// <summary>Creates a layout.</summary>
    public ShellLayout(int shells, int directionsPerShell)
    {
        Shells = shells;
        DirectionsPerShell = directionsPerShell;
    }

    /// <summary>Number of shells L.</summary>
    public int Shells { get; }

    /// <summary>Directions per shell M_a.</summary>
    public int DirectionsPerShell { get; }
}
