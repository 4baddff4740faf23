using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Design;

/// <summary>
/// The refiner prunes its nearest-codeword searches with drift bounds and evaluates distances several codewords per
/// vector; both are only allowed to save work. These tests pin it, bit for bit, to textbook Lloyd–Max: exhaustive scalar
/// search with the lowest index winning ties, centroids summed in sample order, the same stopping rule.
/// </summary>
public class LloydMaxRefinerTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        // d, k, N, training blocks: one group (N ≤ 8), several groups (N = 64, 256), odd k, k = 1 and k = 8.
        { 64, 1, 4, 3000 },
        { 64, 2, 16, 4000 },
        { 48, 3, 32, 3000 },
        { 128, 4, 256, 6000 },
        { 128, 8, 64, 3000 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    [Trait("Category", "Determinism")]
    public void RefineMatchesExhaustiveLloydMaxBitForBit(int dimension, int blockSize, int codewords, int count)
    {
        double[] samples = SphericalBetaSampler.Sample(dimension, blockSize, count, new DesignRandom(7, DesignStream.Training));
        // A noisy start, like restarts 1…R−1: many samples change cells in the first iterations, so bounds are exercised.
        double[] start = CodebookDesigner.InitialCodebook(dimension, blockSize, CodebookDesigner.ShellLayouts(blockSize, codewords)[0]);
        var noise = new DesignRandom(11, DesignStream.RestartNoise);
        for (int i = 0; i < start.Length; i++) start[i] += 0.1 * noise.NextGaussian();

        double[] expected = (double[])start.Clone();
        (double expectedDistortion, int expectedIterations) = ExhaustiveLloydMax.Refine(samples, blockSize, expected);
        foreach (bool parallel in new[] { false, true })
        {
            double[] actual = (double[])start.Clone();
            LloydResult result = LloydMaxRefiner.Refine(samples, blockSize, actual, parallel, CancellationToken.None);
            Assert.Equal(expectedIterations, result.Iterations);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedDistortion), BitConverter.DoubleToInt64Bits(result.Distortion));
            for (int i = 0; i < expected.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]), $"coordinate {i} differs (parallel: {parallel})");
        }

        Assert.True(expectedIterations > 3, "the start was too close to a fixed point to exercise the bounds");
    }

    [Fact]
    [Trait("Category", "Determinism")]
    public void TiesGoToTheLowestIndex()
    {
        // Codewords 0 and 2 coincide, as do 1 and 3: every sample is equidistant from a pair, and the exhaustive search
        // keeps the first of each, so 2 and 3 own no sample and keep their coordinates.
        double[] samples = { 0.5, 0.1, 0.6, 0.4, -0.5, 0.2, -0.1, -0.3 };
        double[] codebook = { 1, 0, -1, 0, 1, 0, -1, 0 };
        double[] expected = (double[])codebook.Clone();
        ExhaustiveLloydMax.Refine(samples, 2, expected);
        LloydMaxRefiner.Refine(samples, 2, codebook, parallel: false, CancellationToken.None);
        Assert.Equal(expected, codebook);
        Assert.Equal(new double[] { 1, 0, -1, 0 }, codebook[4..]);
    }
}
