using System.Collections.Generic;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// The configurations a sweep evaluates at head dimension d: fp32, fp16, scalar TurboQuant b = 1…4 and FibQuant
/// (k, N) from sub-one-bit to 3 bits with fractional rates, keeping the k with 1 &lt; k &lt; d and k | d, each with the Haar
/// rotation and, where d is a power of two, the randomized Hadamard rotation as well.
/// </summary>
public static class EvaluationSweep
{
    /// <summary>FibQuant (k, N) points of the default sweep (b = log2 N / k): 0.25 … 3 bits.</summary>
    public static IReadOnlyList<(int BlockSize, int Codewords)> FibQuantPoints { get; } = new[]
    {
        (8, 4), (8, 16), (4, 4), (8, 64), (4, 16), (4, 32), (2, 8), (2, 16), (2, 32), (2, 64),
    };

    /// <summary>FibQuant (k, N) points of the quick sweep.</summary>
    public static IReadOnlyList<(int BlockSize, int Codewords)> QuickFibQuantPoints { get; } = new[] { (4, 16), (2, 16) };

    /// <summary>TurboQuant bit widths of the default sweep.</summary>
    public static IReadOnlyList<int> TurboQuantBits { get; } = new[] { 1, 2, 3, 4 };

    /// <summary>TurboQuant bit widths of the quick sweep.</summary>
    public static IReadOnlyList<int> QuickTurboQuantBits { get; } = new[] { 1, 2 };

    /// <summary>Whether FibQuant block size k is valid in dimension d (1 &lt; k &lt; d, k | d).</summary>
    public static bool IsValidBlockSize(int dimension, int blockSize) => blockSize > 1 && blockSize < dimension && dimension % blockSize == 0;

    /// <summary>The rotations evaluated at dimension d: Haar, plus Hadamard when d is a power of two (unless quick).</summary>
    public static IReadOnlyList<RotationKind> Rotations(int dimension, bool quick)
    {
        bool powerOfTwo = dimension > 0 && (dimension & (dimension - 1)) == 0;
        return powerOfTwo && !quick ? new[] { RotationKind.Haar, RotationKind.Hadamard } : new[] { RotationKind.Haar };
    }

    /// <summary>The configurations of a sweep at dimension d, in a fixed order: fp32, fp16, then per rotation TurboQuant and FibQuant by rate.</summary>
    /// <param name="dimension">Head dimension d.</param>
    /// <param name="quick">The small CI sweep (Haar only, a few rates).</param>
    /// <param name="includeFloat32">Include the fp32 reference row.</param>
    public static IReadOnlyList<KvCacheConfiguration> Configurations(int dimension, bool quick, bool includeFloat32 = true)
    {
        var list = new List<KvCacheConfiguration>();
        if (includeFloat32) list.Add(KvCacheConfiguration.Float32);
        list.Add(KvCacheConfiguration.Float16);
        foreach (RotationKind rotation in Rotations(dimension, quick))
        {
            foreach (int bits in quick ? QuickTurboQuantBits : TurboQuantBits)
                list.Add(KvCacheConfiguration.TurboQuant(dimension, bits, rotation));
            foreach ((int k, int n) in quick ? QuickFibQuantPoints : FibQuantPoints)
            {
                if (IsValidBlockSize(dimension, k)) list.Add(KvCacheConfiguration.FibQuant(dimension, k, n, rotation));
            }
        }

        return list;
    }
}
