using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Coding;

/// <summary>DESIGN.md §2: d = 64, 100 000 uniform unit vectors, sum of squared error per vector, within 2 % or below.</summary>
public class ReferenceDistortionTests
{
    public static TheoryData<int, int, double> Rows => new()
    {
        { 1, 2, 0.360 },
        { 1, 4, 0.115 },
        { 1, 8, 0.0333 },
        { 2, 16, 0.105 },
        { 2, 64, 0.0294 },
        { 4, 16, 0.340 },
    };

    /// <summary>The N = 256 rows: each is a full 20-restart design of minutes on two cores, so they run in the Slow set.</summary>
    public static TheoryData<int, int, double> SlowRows => new()
    {
        { 4, 256, 0.0953 },
        { 8, 256, 0.320 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void FullCodecMatchesReferenceTable(int k, int n, double reference) => AssertMatchesReference(k, n, reference);

    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(SlowRows))]
    public void FullCodecMatchesReferenceTableAtN256(int k, int n, double reference) => AssertMatchesReference(k, n, reference);

    private static void AssertMatchesReference(int k, int n, double reference)
    {
        var quantizer = new FibQuantizer(Designs.Get(new CodebookSpec(64, k, n, seed: 1)));
        double distortion = Distortion.Measure(quantizer, TestVectors.UnitSphere(64, 100_000, seed: 2026));
        Assert.True(distortion <= reference * 1.02, $"k={k} N={n}: distortion {distortion:F5} exceeds reference {reference} by more than 2 %");
        // A result far below the reference would mean the measurement, not the codebook, changed.
        Assert.True(distortion >= reference * 0.95, $"k={k} N={n}: distortion {distortion:F5} implausibly below reference {reference}");
    }

    [Fact]
    public void VectorCodeBeatsScalarTurboQuantAtMatchedRate()
    {
        float[] vectors = TestVectors.UnitSphere(64, 20_000, seed: 7);
        double scalar = Distortion.Measure(new FibQuantizer(Designs.Get(TurboQuant.Spec(64, 2, seed: 1))), vectors);
        double vector = Distortion.Measure(new FibQuantizer(Designs.Get(new CodebookSpec(64, 2, 16, seed: 1))), vectors);
        Assert.True(vector < scalar, $"k=2 N=16 ({vector:F5}) should beat 2-bit TurboQuant ({scalar:F5})");
    }
}
