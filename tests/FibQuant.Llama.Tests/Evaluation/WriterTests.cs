using System;
using System.IO;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class WriterTests
{
    private static readonly SweepRow[] Rows =
    {
        new("stories260K", 8, "fp32", "fp32", "—", 0, 0, 32, 32, 0.5, 0.5, 1, 1, 4.5, 0, double.NaN, 0, 0, 1, 1, new[] { 1.0, 1.0 }, new[] { 1.0, 1.0 }),
        new("stories260K", 8, "FibQuant k=2 N=16 Haar", "FibQuant", "Haar", 2, 16, 2, 4, 4, 2.6666666666666665, 0.3, 0.1, 60.25, 55.75, double.NaN,
            1.5, 4.25, 0.5, 0.625, new[] { 0.25, 0.35 }, new[] { 0.5, 0.75 }),
        new("synthetic d=64", 64, "odd, \"name\"|x", "TurboQuant", "Hadamard", 1, 4, 2, 2.25, 7.111, 1.88, 0.87, 0.77, double.NaN, double.NaN, double.NaN,
            double.NaN, double.NaN, double.NaN, double.NaN, Array.Empty<double>(), Array.Empty<double>()),
    };

    [Fact]
    public void CsvHasTheHeaderQuotesFieldsAndRoundTripsNumbers()
    {
        var writer = new StringWriter();
        ResultsCsvWriter.Write(writer, Rows);
        string[] lines = writer.ToString().Split('\n');
        Assert.Equal(5, lines.Length);                   // header, 3 rows, trailing empty
        Assert.Equal(string.Join(',', ResultsCsvWriter.Columns), lines[0]);
        Assert.Equal("stories260K,8,fp32,fp32,—,0,0,32,32,0.5,0.5,1,1,4.5,0,,0,0,1,1,1;1,1;1", lines[1]);
        Assert.Equal("stories260K,8,FibQuant k=2 N=16 Haar,FibQuant,Haar,2,16,2,4,4,2.6666666666666665,0.3,0.1,60.25,55.75,,1.5,4.25,0.5,0.625,0.25;0.35,0.5;0.75", lines[2]);
        Assert.StartsWith("synthetic d=64,64,\"odd, \"\"name\"\"|x\",TurboQuant,", lines[3]);
        Assert.EndsWith(",0.87,0.77,,,,,,,,,", lines[3]);
        Assert.Equal(ResultsCsvWriter.Columns.Count, lines[1].Split(',').Length);
        Assert.Equal("", lines[4]);
    }

    [Fact]
    public void MarkdownHasOneTablePerSourceWithNextTokenMeasuresOnlyForTheModel()
    {
        string md = ResultsMarkdownWriter.Format(Rows);
        Assert.Contains("### stories260K (d = 8)", md, StringComparison.Ordinal);
        Assert.Contains("### synthetic d=64 (d = 64)", md, StringComparison.Ordinal);
        Assert.Contains("| FibQuant k=2 N=16 Haar | 2 | 4 | 4.00× | 2.67× | 0.30000 | 0.10000 | 0.6250 | 1.50000 | 4.2500 | 0.5000 | 60.2500 | +55.7500 |", md, StringComparison.Ordinal);
        Assert.Contains("| FibQuant k=2 N=16 Haar | 0.2500 / 0.3500 | 0.500 / 0.750 |", md, StringComparison.Ordinal);
        Assert.Contains("| odd, \"name\"\\|x | 2 | 2.25 | 7.11× | 1.88× | 0.87000 | 0.77000 |", md, StringComparison.Ordinal);
        string[] lines = md.Split('\n');
        int modelHeader = Array.FindIndex(lines, l => l.StartsWith("| configuration | b", StringComparison.Ordinal));
        Assert.Contains("KL mean", lines[modelHeader], StringComparison.Ordinal);
        int syntheticHeader = Array.FindLastIndex(lines, l => l.StartsWith("| configuration | b", StringComparison.Ordinal));
        Assert.DoesNotContain("perplexity", lines[syntheticHeader], StringComparison.Ordinal);
        Assert.Equal(lines[modelHeader].Split('|').Length, lines[modelHeader + 1].Split('|').Length);
        Assert.Equal(lines[modelHeader].Split('|').Length, lines[modelHeader + 2].Split('|').Length);
        Assert.Equal(lines[syntheticHeader].Split('|').Length, lines[syntheticHeader + 1].Split('|').Length);
    }

    [Fact]
    public void WholeFileColumnAppearsWhenAnyRowOfTheSourceHasIt()
    {
        SweepRow second = Rows[1] with { WholeFilePerplexity = 7.5 };
        string[] lines = ResultsMarkdownWriter.Format(new[] { Rows[0], second }).Split('\n');
        Assert.EndsWith("| whole-file ppl |", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("| 4.5000 | 0.0000 | — |", lines[4], StringComparison.Ordinal);
        Assert.EndsWith("| +55.7500 | 7.5000 |", lines[5], StringComparison.Ordinal);
        Assert.Equal(lines[2].Split('|').Length, lines[4].Split('|').Length);
    }

    [Fact]
    public void MatchedRateComparisonPairsFibQuantWithTurboQuantAtTheSameRate()
    {
        SweepRow tq = Rows[1] with { Configuration = "TurboQuant b=2 Haar", Family = "TurboQuant", BlockSize = 1, Codewords = 4, AttentionCosine = 0.2, PerplexityIncrease = 70 };
        var found = MatchedRateComparison.Find(new[] { Rows[0], Rows[1], tq, Rows[2] });
        MatchedRateComparison c = Assert.Single(found);
        Assert.True(c.FibQuantCosineHigher);
        Assert.True(c.FibQuantPerplexityLower);
        Assert.Contains("| stories260K | Haar | FibQuant k=2 N=16 Haar | 0.30000 | 0.20000 | +55.7500 | +70.0000 | cosine, perplexity |",
            MatchedRateComparison.FormatMarkdown(found), StringComparison.Ordinal);
    }

    [Fact]
    public void FrontierSummaryPicksTheHighestCompressionAboveEachCosine()
    {
        SweepRow fp16 = Rows[0] with { Configuration = "fp16", Family = "fp16", NominalCompression = 1, Perplexity = 4.5 };
        SweepRow good = Rows[1] with { AttentionCosine = 0.995, NominalCompression = 5 };
        SweepRow better = Rows[1] with { Configuration = "FibQuant k=4 N=16 Haar", AttentionCosine = 0.96, NominalCompression = 10, Perplexity = 9 };
        var rows = new[] { fp16, good, better };
        Assert.Same(good, FrontierSummary.HighestCompressionAtCosine(rows, "stories260K", 0.99));
        Assert.Same(better, FrontierSummary.HighestCompressionAtCosine(rows, "stories260K", 0.95));
        Assert.Null(FrontierSummary.HighestCompressionAtCosine(rows, "stories260K", 0.999));
        Assert.Same(better, FrontierSummary.BestPerplexityAtCompression(rows, "stories260K", "FibQuant", 8));
        Assert.Same(better, FrontierSummary.BestPerplexityAtCompression(rows, "stories260K", "FibQuant", 4));
        Assert.Contains("| highest CR at cosine ≥ 0.99 | FibQuant k=2 N=16 Haar | 5.00× | 0.9950 | 1.50000 | +55.7500 |",
            FrontierSummary.Format(rows, "stories260K"), StringComparison.Ordinal);
    }
}
