using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>What <see cref="EncoderKind.Auto"/> resolves to.</summary>
public static class EncoderChoice
{
    /// <summary>
    /// The codebook size from which the hierarchical search is the default. Measured with LargeNEncoderBenchmarks (d = 128,
    /// k = 8, AVX-512, shared machine): at N = 256 both approximate searches are slower than the exact SIMD search
    /// (1.0–1.2× its time); at N = 1024 the hierarchical one ranged from 0.64× to 1.44× of exact over three runs, so
    /// no consistent win; at N = 2048 it was faster in every run (0.44–0.83× of exact), within 0.5 % of exact
    /// distortion. The two-stage search never won: the refined shells (128 × 8 at N = 1024) overlap in radius, so it
    /// needs most shells to stay within tolerance.
    /// </summary>
    public const int ApproximateFrom = 2048;

    /// <summary>The encoder <see cref="EncoderKind.Auto"/> uses for <paramref name="spec"/>.</summary>
    public static EncoderKind For(CodebookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Codewords >= ApproximateFrom ? EncoderKind.Hierarchical : EncoderKind.Exact;
    }
}
