using System.CommandLine;
using System.Globalization;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Evaluation;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>Designs (or loads) one codebook and reports rate, compression, distortion and its shells.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var spec = new SpecOptions();
        var file = new Option<FileInfo?>("--spec-file") { Description = "A codebook spec file (codebooks/*.json) instead of the spec options" };
        var vectors = new Option<int>("--vectors") { Description = "Seeded uniform unit vectors for the distortion measurement", DefaultValueFactory = _ => 20_000 };
        var command = new Command("inspect", "Rate, compression, distortion and shells of a codebook");
        spec.AddTo(command);
        command.Options.Add(file);
        command.Options.Add(vectors);
        command.SetAction(result =>
        {
            // Every option is checked before anything is designed.
            int vectorCount = SpecOptions.InRange(result, vectors, 1, SpecOptions.MaxVectors);
            FileInfo? path = result.GetValue(file);
            Codebook codebook = path is null
                ? DesignRunner.DesignAll(new[] { ("design", spec.Read(result)) })[0]
                : SpecFileIo.Load(path);
            return Report(codebook, vectorCount);
        });
        return command;
    }

    private static void AddSearch(Table table, string name, string setting, Codebook codebook, IBlockSearch search, float[] data)
    {
        (double differing, double ratio) = SearchAgreement.Measure(codebook, search, data);
        table.AddRow(name, setting, differing.ToString("0.00%", CultureInfo.InvariantCulture), ratio.ToString("0.0000", CultureInfo.InvariantCulture));
    }

    private static int Report(Codebook codebook, int vectorCount)
    {
        CodebookSpec spec = codebook.Spec;
        var quantizer = new FibQuantizer(codebook);
        float[] data = RateDistortion.UniformUnitVectors(spec.Dimension, vectorCount, spec.Seed + 1000);
        double distortion = RateDistortion.MeanSquaredError(quantizer, data);
        var summary = new Table().Border(TableBorder.Rounded).AddColumns("property", "value");
        summary.AddRow("spec", Markup.Escape(spec.ToString()));
        summary.AddRow("fingerprint", $"0x{codebook.Fingerprint:X16}");
        summary.AddRow("rate b (bits/coord)", spec.BitsPerCoordinate.ToString("0.####", CultureInfo.InvariantCulture));
        summary.AddRow("encoded size (bytes/vector)", quantizer.EncodedSize.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("compression vs fp16", quantizer.CompressionRatio.ToString("0.00", CultureInfo.InvariantCulture) + "×");
        summary.AddRow("shells L × directions M_a", $"{codebook.Shells} × {codebook.DirectionsPerShell}");
        summary.AddRow("training distortion", codebook.TrainingDistortion.ToString("0.000000", CultureInfo.InvariantCulture));
        summary.AddRow($"test distortion ({vectorCount:N0} unit vectors)", distortion.ToString("0.000000", CultureInfo.InvariantCulture));
        summary.AddRow("÷ Shannon bound 4^(−b)", (distortion / RateDistortion.ShannonBound(spec.BitsPerCoordinate)).ToString("0.000", CultureInfo.InvariantCulture));
        AnsiConsole.Write(summary);

        var shells = new Table().Border(TableBorder.Rounded).AddColumns("shell ℓ", "Beta-quantile radius r_ℓ", "mean codeword norm after Lloyd–Max");
        for (int l = 0; l < codebook.Shells; l++)
        {
            double sum = 0;
            for (int m = 0; m < codebook.DirectionsPerShell; m++)
            {
                ReadOnlySpan<float> c = codebook.Codeword(l * codebook.DirectionsPerShell + m);
                double norm2 = 0;
                foreach (float v in c) norm2 += v * v;
                sum += Math.Sqrt(norm2);
            }

            shells.AddRow((l + 1).ToString(CultureInfo.InvariantCulture), codebook.Radii[l].ToString("0.00000", CultureInfo.InvariantCulture),
                (sum / codebook.DirectionsPerShell).ToString("0.00000", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(shells);

        var searches = new Table().Border(TableBorder.Rounded).AddColumns("encoder", "setting", "blocks differing from exact", "distortion ÷ exact");
        TwoStageSearch paper = new(codebook, 1);
        TwoStageSearch twoStage = TwoStageSearch.Calibrated(codebook);
        HierarchicalSearch hierarchical = HierarchicalSearch.WithDefaults(codebook);
        AddSearch(searches, "two-stage (paper, 1 shell)", "1 shell", codebook, paper, data);
        AddSearch(searches, "two-stage (default)", $"{twoStage.ShellsProbed} of {codebook.Shells} shells", codebook, twoStage, data);
        AddSearch(searches, "hierarchical (default)", $"K = {hierarchical.Parents}, T = {hierarchical.Probes}", codebook, hierarchical, data);
        AnsiConsole.Write(searches);
        return 0;
    }
}
