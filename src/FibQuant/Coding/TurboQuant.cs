using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// The scalar TurboQuant baseline: the same normalise–rotate–store codec with k = 1 and N = 2^b, i.e. scalar
/// Lloyd–Max on the Beta(1/2, (d−1)/2) marginal of one rotated coordinate. Use it for matched-rate comparisons.
/// </summary>
public static class TurboQuant
{
    /// <summary>The spec of b-bit scalar TurboQuant in dimension d (1 ≤ b ≤ 16).</summary>
    public static CodebookSpec Spec(int dimension, int bits, ulong seed = 0, RotationKind rotation = RotationKind.Haar,
        int trainingSamples = 0, int restarts = CodebookSpec.DefaultRestarts)
    {
        if (bits < 1 || bits > 16) throw new ArgumentOutOfRangeException(nameof(bits), bits, "TurboQuant bits must be in [1, 16].");
        return new CodebookSpec(dimension, 1, 1 << bits, seed, rotation, trainingSamples, restarts);
    }

    /// <summary>Designs and wraps b-bit scalar TurboQuant.</summary>
    public static FibQuantizer Create(int dimension, int bits, ulong seed = 0, RotationKind rotation = RotationKind.Haar,
        NormFormat normFormat = NormFormat.Half)
        => new(CodebookDesigner.Design(Spec(dimension, bits, seed, rotation)), normFormat);
}
