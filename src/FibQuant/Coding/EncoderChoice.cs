using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>What <see cref="EncoderKind.Auto"/> resolves to.</summary>
public static class EncoderChoice
{
    /// <summary>
    /// The codebook size from which the approximate search is the default. Below it the exact SIMD search is the fastest
    /// measured (N ≤ 256: the approximate searches are 2.5–8× slower there); from it on the hierarchical search wins.
    /// </summary>
    public const int ApproximateFrom = 1024;

    /// <summary>The encoder <see cref="EncoderKind.Auto"/> uses for <paramref name="spec"/>.</summary>
    public static EncoderKind For(CodebookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Codewords >= ApproximateFrom ? EncoderKind.Hierarchical : EncoderKind.Exact;
    }
}
