using System.Collections.Generic;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// The configurations a sweep evaluates at head dimension d: fp32, fp16, scalar TurboQuant b = 1…4 and FibQuant (k, N)
/// from sub-one-bit to 3 bits with fractional rates (k with 1 &lt; k &lt; d and k | d), each with the Haar rotation and,
/// where d is a power of two, the randomized Hadamard rotation; llama.cpp q8_0 / q4_0 with and without its Hadamard
/// rotation where 32 | d; and deployment configurations (K finer than V, attention sinks, a recent window).
/// </summary>
public static class EvaluationSweep
{
    /// <summary>FibQuant (k, N) points of the default sweep (b = log2 N / k): 0.25 … 4 bits, fractional points included.</summary>
    public static IReadOnlyList<(int BlockSize, int Codewords)> FibQuantPoints { get; } = new[]
    {
        (8, 4), (8, 16), (4, 4), (8, 64), (4, 16), (4, 32), (2, 8), (2, 16), (2, 32), (2, 64), (2, 256),
    };

    /// <summary>FibQuant (k, N) points of the quick sweep.</summary>
    public static IReadOnlyList<(int BlockSize, int Codewords)> QuickFibQuantPoints { get; } = new[] { (4, 16), (2, 16) };

    /// <summary>TurboQuant bit widths of the default sweep.</summary>
    public static IReadOnlyList<int> TurboQuantBits { get; } = new[] { 1, 2, 3, 4 };

    /// <summary>TurboQuant bit widths of the quick sweep.</summary>
    public static IReadOnlyList<int> QuickTurboQuantBits { get; } = new[] { 1, 2 };

    /// <summary>Full-precision first tokens of the deployment rows.</summary>
    public const int SinkTokens = 4;

    /// <summary>Full-precision recent window of the deployment rows.</summary>
    public const int RecentWindow = 32;

    /// <summary>Whether FibQuant block size k is valid in dimension d (1 &lt; k &lt; d, k | d).</summary>
    public static bool IsValidBlockSize(int dimension, int blockSize) => blockSize > 1 && blockSize < dimension && dimension % blockSize == 0;

    /// <summary>The rotations evaluated at dimension d: Haar, plus Hadamard when d is a power of two (unless quick).</summary>
    public static IReadOnlyList<RotationKind> Rotations(int dimension, bool quick) =>
        IsPowerOfTwo(dimension) && !quick ? new[] { RotationKind.Haar, RotationKind.Hadamard } : new[] { RotationKind.Haar };

    /// <summary>The rotation of the allocation catalog and the deployment rows: Hadamard where d is a power of two, else Haar.</summary>
    public static RotationKind PreferredRotation(int dimension) => IsPowerOfTwo(dimension) ? RotationKind.Hadamard : RotationKind.Haar;

    /// <summary>The configurations of a sweep at dimension d, in a fixed order.</summary>
    /// <param name="dimension">Head dimension d.</param>
    /// <param name="quick">The small CI sweep (Haar only, a few rates, no deployment rows).</param>
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

        foreach (CacheCodec codec in new[] { CacheCodec.Q8_0(), CacheCodec.Q8_0(hadamard: true), CacheCodec.Q4_0(), CacheCodec.Q4_0(hadamard: true) })
        {
            if (codec.Supports(dimension) && (!quick || codec.Kind == CacheCodecKind.Q4_0)) list.Add(KvCacheConfiguration.Uniform(codec));
        }

        if (!quick) list.AddRange(DeploymentConfigurations(dimension));
        return list;
    }

    /// <summary>
    /// Deployment rows at dimension d (FibQuant, <see cref="PreferredRotation"/>): keys at 3 bits with values at 1 bit
    /// (k=2 N=64 / k=4 N=16) and the reverse, and 2-bit FibQuant (k=2 N=16) with 4 sink tokens, a 32-token recent window, and both.
    /// </summary>
    public static IReadOnlyList<KvCacheConfiguration> DeploymentConfigurations(int dimension)
    {
        var list = new List<KvCacheConfiguration>();
        RotationKind rotation = PreferredRotation(dimension);
        if (!IsValidBlockSize(dimension, 2) || !IsValidBlockSize(dimension, 4)) return list;
        var fine = new CodebookSpec(dimension, 2, 64, KvCacheConfiguration.DefaultSeed, rotation);
        var coarse = new CodebookSpec(dimension, 4, 16, KvCacheConfiguration.DefaultSeed, rotation);
        list.Add(KvCacheConfiguration.Quantized($"K k=2 N=64 / V k=4 N=16 {rotation}", fine, coarse));
        list.Add(KvCacheConfiguration.Quantized($"K k=4 N=16 / V k=2 N=64 {rotation}", coarse, fine));
        KvCacheConfiguration two = KvCacheConfiguration.FibQuant(dimension, 2, 16, rotation);
        list.Add(two.WithFullPrecisionTokens(SinkTokens, 0));
        list.Add(two.WithFullPrecisionTokens(0, RecentWindow));
        list.Add(two.WithFullPrecisionTokens(SinkTokens, RecentWindow));
        return list;
    }

    /// <summary>The allocation catalog at dimension d: every FibQuant point of the default sweep and TurboQuant b = 1…4, in <see cref="PreferredRotation"/>.</summary>
    public static IReadOnlyList<CacheCodec> AllocationCatalog(int dimension)
    {
        RotationKind rotation = PreferredRotation(dimension);
        var catalog = new List<CacheCodec>();
        foreach (int bits in TurboQuantBits) catalog.Add(CacheCodec.Codebook(Coding.TurboQuant.Spec(dimension, bits, KvCacheConfiguration.DefaultSeed, rotation)));
        foreach ((int k, int n) in FibQuantPoints)
        {
            if (IsValidBlockSize(dimension, k)) catalog.Add(CacheCodec.Codebook(new CodebookSpec(dimension, k, n, KvCacheConfiguration.DefaultSeed, rotation)));
        }

        return catalog;
    }

    /// <summary>The uniform FibQuant configuration at <paramref name="budget"/> bits (the catalog's FibQuant point of that rate with the largest k), or null.</summary>
    public static KvCacheConfiguration? UniformAt(int dimension, double budget)
    {
        foreach ((int k, int n) in new[] { (4, 16), (2, 8), (2, 16), (2, 32), (2, 64) })
        {
            var spec = new CodebookSpec(dimension, k, n, KvCacheConfiguration.DefaultSeed, PreferredRotation(dimension));
            if (IsValidBlockSize(dimension, k) && spec.BitsPerCoordinate == budget && Contains(AllocationCatalog(dimension), spec))
                return KvCacheConfiguration.Uniform(CacheCodec.Codebook(spec));
        }

        return null;
    }

    private static bool Contains(IReadOnlyList<CacheCodec> catalog, CodebookSpec spec)
    {
        foreach (CacheCodec codec in catalog)
        {
            if (spec.Equals(codec.Spec)) return true;
        }

        return false;
    }

    private static bool IsPowerOfTwo(int dimension) => dimension > 0 && (dimension & (dimension - 1)) == 0;
}
