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
        var models = new[] { ("stories260K", TestData.Model) };
        SweepResult first = SweepRunner.Run(models, TestData.Tokenizer, text, Small, new CodecLibrary());
        SweepResult second = SweepRunner.Run(models, TestData.Tokenizer, text, Small, new CodecLibrary());

        Assert.Equal(first.Rows.Count, second.Rows.Count);
        var a = new StringWriter();
        var b = new StringWriter();
        ResultsCsvWriter.Write(a, first.Rows);
        ResultsCsvWriter.Write(b, second.Rows);
        Assert.Equal(a.ToString(), b.ToString());                 // round-trip doubles: bitwise-equal numbers

        Assert.Equal(SweepOptions.QuickWindows, first.Windows);
        Assert.Equal(512, first.PredictedTokens);
        Assert.Equal(first.Rows[0].Perplexity, first.Models[0].Float32Perplexity);
        Assert.Equal(0.0, first.Rows[0].PerplexityIncrease);
        Assert.Equal(0.0, first.Rows[0].KlMean);
        Assert.Equal(1.0, first.Rows[0].Top1Agreement);
        Assert.Contains(first.Rows, r => r.Source == "synthetic d=16" && r.Family == "FibQuant");
        Assert.All(first.Rows.Where(r => r.Source == "stories260K"), r => Assert.False(double.IsNaN(r.AttentionCosine)));
    }
}
