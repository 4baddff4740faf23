using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Coding;

public class ApproximateSearchTests
{
    public static TheoryData<int, int> Specs => new() { { 2, 16 }, { 2, 64 }, { 4, 16 } };

    /// <summary>(64, 8, 64) needs a full 20-restart design of about two minutes on two shared cores: the Slow set.</summary>
    public static TheoryData<int, int> SlowSpecs => new() { { 8, 64 } };

    [Theory]
    [MemberData(nameof(Specs))]
    public void DefaultsStayWithinOnePercentOfExact(int k, int n) => AssertWithinOnePercentOfExact(k, n);

    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(SlowSpecs))]
    public void DefaultsStayWithinOnePercentOfExactAtK8(int k, int n) => AssertWithinOnePercentOfExact(k, n);

    private static void AssertWithinOnePercentOfExact(int k, int n)
    {
        Codebook codebook = Designs.Get(new CodebookSpec(64, k, n, seed: 1));
        float[] vectors = TestVectors.UnitSphere(64, 20_000, seed: 31);
        double exact = Distortion.Measure(new FibQuantizer(codebook), vectors);
        foreach (EncoderKind kind in new[] { EncoderKind.TwoStage, EncoderKind.Hierarchical })
        {
            double approximate = Distortion.Measure(new FibQuantizer(codebook, encoder: kind), vectors);
            Assert.True(approximate <= 1.01 * exact, $"{kind} k={k} N={n}: {approximate:F5} vs exact {exact:F5}");
            Assert.True(approximate >= exact * 0.999, $"{kind} cannot beat the exact search by more than noise");
        }
    }

    [Fact]
    public void FullProbingEqualsExactSearch()
    {
        Codebook codebook = Designs.Get(new CodebookSpec(64, 2, 64, seed: 1));
        var blocks = new float[64 * 500];
        TestVectors.UnitSphere(64, 500, seed: 8).CopyTo(blocks, 0);
        var exact = new ushort[blocks.Length / 2];
        var twoStage = new ushort[exact.Length];
        var hierarchical = new ushort[exact.Length];
        new NearestCodeword(codebook).FindAll(blocks, exact);
        new TwoStageSearch(codebook, codebook.Shells).FindAll(blocks, twoStage);
        new HierarchicalSearch(codebook, 8, 8).FindAll(blocks, hierarchical);
        Assert.Equal(exact, twoStage);
        Assert.Equal(exact, hierarchical);
        // Every codeword is a candidate of its own parent, so probing every parent stays exact with candidate lists too.
        new HierarchicalSearch(codebook, 8, 8, 0.9).FindAll(blocks, hierarchical);
        Assert.Equal(exact, hierarchical);
    }

    [Fact]
    public void SingleShellTwoStageIsThePaperVariantAndCostsDistortion()
    {
        // Full Lloyd–Max moves codewords off their initial shells, so probing one shell loses accuracy: the reason
        // the default probes as many shells as the calibration needs. This pins that behaviour.
        Codebook codebook = Designs.Get(new CodebookSpec(64, 2, 64, seed: 1));
        float[] blocks = TestVectors.UnitSphere(64, 2000, seed: 8);
        var exact = new ushort[blocks.Length / 2];
        var single = new ushort[exact.Length];
        new NearestCodeword(codebook).FindAll(blocks, exact);
        new TwoStageSearch(codebook, 1).FindAll(blocks, single);
        int differ = 0;
        for (int i = 0; i < exact.Length; i++) differ += exact[i] != single[i] ? 1 : 0;
        Assert.InRange(differ, 1, exact.Length - 1);
    }

    [Fact]
    public void BadParametersAreRejected()
    {
        Codebook codebook = Designs.Get(new CodebookSpec(64, 2, 16, seed: 1));
        Assert.Equal("shellsProbed", Assert.Throws<ArgumentOutOfRangeException>(() => new TwoStageSearch(codebook, 0)).ParamName);
        Assert.Equal("parents", Assert.Throws<ArgumentOutOfRangeException>(() => new HierarchicalSearch(codebook, 17, 1)).ParamName);
        Assert.Equal("probes", Assert.Throws<ArgumentOutOfRangeException>(() => new HierarchicalSearch(codebook, 4, 5)).ParamName);
        Assert.Equal("coverage", Assert.Throws<ArgumentOutOfRangeException>(() => new HierarchicalSearch(codebook, 4, 1, 1.5)).ParamName);
        Assert.Equal("coverage", Assert.Throws<ArgumentOutOfRangeException>(() => new HierarchicalSearch(codebook, 4, 1, double.NaN)).ParamName);
        Assert.Equal("encoder", Assert.Throws<ArgumentOutOfRangeException>(() => new FibQuantizer(codebook, encoder: (EncoderKind)9)).ParamName);
    }
}
