using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Design;

public class CodebookDesignTests
{
    private static readonly CodebookSpec Small = new(32, 2, 16, seed: 3, trainingSamples: 20_000, restarts: 3);

    [Fact]
    public void SameSpecGivesIdenticalTableBitsSerialOrParallel()
    {
        Codebook a = CodebookDesigner.Design(Small, parallel: false);
        Codebook b = CodebookDesigner.Design(new CodebookSpec(32, 2, 16, seed: 3, trainingSamples: 20_000, restarts: 3), parallel: true);
        Assert.Equal(Bits(a.Table), Bits(b.Table));
        Assert.Equal(Bits(a.Rotation), Bits(b.Rotation));
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal(a.TrainingDistortion, b.TrainingDistortion);
    }

    [Fact]
    public void FingerprintChangesWithEverySpecField()
    {
        ulong baseline = CodebookDesigner.Design(Small).Fingerprint;
        var variants = new[]
        {
            new CodebookSpec(64, 2, 16, seed: 3, trainingSamples: 20_000, restarts: 3),
            new CodebookSpec(32, 1, 16, seed: 3, trainingSamples: 20_000, restarts: 3),
            new CodebookSpec(32, 2, 32, seed: 3, trainingSamples: 20_000, restarts: 3),
            new CodebookSpec(32, 2, 16, seed: 4, trainingSamples: 20_000, restarts: 3),
            new CodebookSpec(32, 2, 16, seed: 3, rotation: RotationKind.Hadamard, trainingSamples: 20_000, restarts: 3),
            new CodebookSpec(32, 2, 16, seed: 3, trainingSamples: 20_001, restarts: 3),
            new CodebookSpec(32, 2, 16, seed: 3, trainingSamples: 20_000, restarts: 4),
        };
        var seen = new HashSet<ulong> { baseline };
        foreach (CodebookSpec variant in variants)
        {
            Assert.NotEqual(variant, Small);
            Assert.True(seen.Add(CodebookDesigner.Design(variant).Fingerprint), $"fingerprint repeated for {variant}");
        }
    }

    [Fact]
    public void TamperedTableIsRejectedByFingerprint()
    {
        Codebook designed = Designs.Get(Small);
        float[] table = designed.Table.ToArray();
        table[5] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(table[5]) ^ 1);
        var error = Assert.Throws<ArgumentException>(() => new Codebook(designed.Spec, designed.Shells, designed.DirectionsPerShell,
            designed.Radii.ToArray(), table, designed.Rotation.ToArray(), designed.TrainingDistortion, designed.Fingerprint));
        Assert.Contains("Fingerprint mismatch", error.Message);
        Assert.Equal("expectedFingerprint", error.ParamName);
    }

    [Fact]
    public void ScalarDesignIsLloydMaxOnTheBetaMarginal()
    {
        // k = 1, N = 2: Lloyd–Max puts each codeword at the mean of its cell of the training sample (±E|y| in the
        // limit; E|y| of a coordinate of a uniform unit vector in R^d is Γ(d/2) / (√π Γ((d+1)/2))).
        var spec = new CodebookSpec(64, 1, 2, seed: 1);
        Codebook codebook = Designs.Get(spec);
        double[] samples = SphericalBetaSampler.Sample(64, 1, spec.TrainingSamples, new DesignRandom(spec.Seed, DesignStream.Training));
        double threshold = 0.5 * (codebook.Table[0] + codebook.Table[1]);
        double sumPositive = 0, sumNegative = 0;
        int positive = 0;
        foreach (double y in samples)
        {
            if ((y > threshold) == (codebook.Table[0] > codebook.Table[1])) { sumPositive += y; positive++; }
            else sumNegative += y;
        }

        Assert.Equal(sumPositive / positive, codebook.Table[0], 1e-4);
        Assert.Equal(sumNegative / (samples.Length - positive), codebook.Table[1], 1e-4);
        double expected = Math.Exp(DeterministicMath.LogGamma(32) - DeterministicMath.LogGamma(32.5)) / Math.Sqrt(Math.PI);
        Assert.Equal(expected, Math.Abs(codebook.Table[0]), 0.015 * expected);
    }

    [Fact]
    public void ShellLayoutsCoverTheDivisorPairs()
    {
        Assert.Equal(new[] { (8, 2), (4, 4), (2, 8), (1, 16) }, CodebookDesigner.ShellLayouts(2, 16).Select(l => (l.Shells, l.DirectionsPerShell)));
        Assert.Equal(new[] { (4, 2) }, CodebookDesigner.ShellLayouts(1, 8).Select(l => (l.Shells, l.DirectionsPerShell)));
    }

    [Fact]
    public void CancellationStopsADesign()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CodebookDesigner.Design(Small, cancellationToken: cts.Token));
    }

    [Fact]
    public void ProgressReportsEveryRun()
    {
        var reports = new List<DesignProgress>();
        CodebookDesigner.Design(Small, new SyncProgress(reports.Add));
        Assert.Equal(CodebookDesigner.ShellLayouts(2, 16).Count + 2, reports.Count);
        Assert.All(reports, r => Assert.Equal(reports.Count, r.TotalRuns));
        Assert.Equal(reports.Count, reports[^1].CompletedRuns);
    }

    [Theory]
    [InlineData(1, 1, 2, "dimension")]
    [InlineData(64, 3, 16, "blockSize")]
    [InlineData(64, 64, 16, "blockSize")]
    [InlineData(64, 2, 12, "codewords")]
    [InlineData(64, 2, 1, "codewords")]
    [InlineData(64, 2, 131072, "codewords")]
    public void InvalidSpecsNameTheParameter(int d, int k, int n, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new CodebookSpec(d, k, n));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void HadamardNeedsPowerOfTwoDimension()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new CodebookSpec(96, 2, 16, rotation: RotationKind.Hadamard));
        Assert.Equal("rotation", error.ParamName);
        Assert.Equal("trainingSamples", Assert.ThrowsAny<ArgumentException>(() => new CodebookSpec(64, 2, 16, trainingSamples: 8)).ParamName);
        Assert.Equal("restarts", Assert.ThrowsAny<ArgumentException>(() => new CodebookSpec(64, 2, 16, restarts: 0)).ParamName);
    }

    internal static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }

    private sealed class SyncProgress(Action<DesignProgress> report) : IProgress<DesignProgress>
    {
        public void Report(DesignProgress value) => report(value);
    }
}
