using System.IO;
using System.Linq;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class SweepDeterminismTests
{
    private static readonly SweepOptions Small = new() { Quick = true, SyntheticDimensions = new[] { 16 }, SyntheticTokens = 128, SyntheticQueries = 8 };

    /// <summary>Two full sweeps with fresh designs: minutes on two cores, so it runs in the Slow set.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void TwoRunsOfASmallSweepGiveIdenticalNumbers()
    {
        string text = LlamaDataPaths.Resolve(PerplexityProtocol.TextFile);
        // Fresh codebook libraries: the designs are redone too.
        SweepResult first = SweepRunner.Run(TestData.Model, TestData.Tokenizer, text, Small, new CodecLibrary());
        SweepResult second = SweepRunner.Run(TestData.Model, TestData.Tokenizer, text, Small, new CodecLibrary());

        Assert.Equal(first.Rows.Count, second.Rows.Count);
        for (int i = 0; i < first.Rows.Count; i++) Assert.Equal(first.Rows[i], second.Rows[i]);   // bitwise-equal doubles
        var a = new StringWriter();
        var b = new StringWriter();
        ResultsCsvWriter.Write(a, first.Rows);
        ResultsCsvWriter.Write(b, second.Rows);
        Assert.Equal(a.ToString(), b.ToString());

        Assert.Equal(SweepOptions.QuickWindows, first.Windows);
        Assert.Equal(512, first.PredictedTokens);
        Assert.Equal(first.Rows[0].Perplexity, first.Float32Perplexity);
        Assert.Equal(0.0, first.Rows[0].PerplexityIncrease);
        Assert.Contains(first.Rows, r => r.Source == "synthetic d=16" && r.Family == "FibQuant");
        Assert.All(first.Rows.Where(r => r.Source == SweepRunner.ModelSource), r => Assert.False(double.IsNaN(r.AttentionCosine)));
    }
}
