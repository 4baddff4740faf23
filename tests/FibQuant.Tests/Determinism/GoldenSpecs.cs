using FibQuant.Design;

namespace FibQuant.Tests.Determinism;

/// <summary>The fixed small specs whose fingerprints and codes are pinned by the determinism tests.</summary>
internal static class GoldenSpecs
{
    public static readonly CodebookSpec HaarK2 = new(32, 2, 16, seed: 3, trainingSamples: 20_000, restarts: 3);
    public static readonly CodebookSpec HadamardK2 = new(32, 2, 16, seed: 3, rotation: RotationKind.Hadamard, trainingSamples: 20_000, restarts: 3);
    public static readonly CodebookSpec HaarK2N64 = new(32, 2, 64, seed: 4, trainingSamples: 20_000, restarts: 2);
    public static readonly CodebookSpec HaarK3 = new(12, 3, 8, seed: 5, trainingSamples: 2048, restarts: 1);
    public static readonly CodebookSpec ScalarK1 = new(32, 1, 8, seed: 7, trainingSamples: 8192, restarts: 2);
    public static readonly CodebookSpec HadamardK4 = new(16, 4, 32, seed: 9, rotation: RotationKind.Hadamard, trainingSamples: 4096, restarts: 2);
    public static readonly CodebookSpec HaarK8 = new(16, 8, 16, seed: 11, trainingSamples: 4096, restarts: 1);

    public static readonly (string Name, CodebookSpec Spec)[] All =
    {
        (nameof(HaarK2), HaarK2), (nameof(HadamardK2), HadamardK2), (nameof(HaarK2N64), HaarK2N64), (nameof(HaarK3), HaarK3),
        (nameof(ScalarK1), ScalarK1), (nameof(HadamardK4), HadamardK4), (nameof(HaarK8), HaarK8),
    };
}
