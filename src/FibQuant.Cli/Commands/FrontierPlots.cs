using FibQuant.Llama.Evaluation;
using ScottPlot;

namespace FibQuant.Cli.Commands;

/// <summary>
/// SVG memory–fidelity frontiers with ScottPlot: compression against fp16 (stored format, headers and scales included) on
/// x; attention cosine, KL divergence or perplexity increase on y; one series per (family, rotation), the q8_0 / q4_0
/// points, the rate allocations and an fp16 point.
/// </summary>
internal static class FrontierPlots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>Writes every plot of <paramref name="result"/> into <paramref name="folder"/>; returns the file names.</summary>
    public static List<string> WriteAll(SweepResult result, string folder)
    {
        var files = new List<string>();
        foreach (string source in result.Rows.Select(r => r.Source).Distinct())
        {
            List<SweepRow> rows = result.Rows.Where(r => r.Source == source).ToList();
            string stem = source.Replace(' ', '-').Replace("=", "", StringComparison.Ordinal);
            string title = $"{source} (d = {rows[0].HeadDimension})";
            files.Add(Write(rows, r => r.AttentionCosine, "attention-output cosine vs fp32", $"{title}: compression vs attention cosine", folder, $"{stem}-cosine.svg", false));
            if (rows.Any(r => !double.IsNaN(r.Perplexity)))
            {
                files.Add(Write(rows, r => r.KlMean, "mean KL divergence from fp32 (nats, log scale)", $"{title}: compression vs KL divergence", folder, $"{stem}-kl.svg", true));
                files.Add(Write(rows, r => r.PerplexityIncrease, "perplexity − fp32 perplexity (log scale)", $"{title}: compression vs Δ perplexity", folder, $"{stem}-perplexity.svg", true));
            }
        }

        return files;
    }

    private static string Write(List<SweepRow> rows, Func<SweepRow, double> y, string yLabel, string title, string folder, string file, bool logY)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        double Y(SweepRow r) => logY ? Math.Log10(Math.Max(y(r), 1e-6)) : y(r);
        void Series(IEnumerable<SweepRow> selected, string label, MarkerShape shape, float lineWidth)
        {
            List<SweepRow> series = selected.Where(r => !double.IsNaN(y(r))).OrderBy(r => r.NominalCompression).ToList();
            Color color = palette.GetColor(colour++);
            if (series.Count == 0) return;
            var scatter = plot.Add.Scatter(series.Select(r => r.NominalCompression).ToArray(), series.Select(Y).ToArray());
            scatter.LegendText = label;
            scatter.Color = color;
            scatter.MarkerSize = 8;
            scatter.MarkerShape = shape;
            scatter.LineWidth = lineWidth;
        }

        // Skia's SVG canvas cannot write dash effects: rotations differ by filled / open markers and line width.
        foreach (string family in new[] { "FibQuant", "TurboQuant" })
        {
            foreach (string rotation in new[] { "Haar", "Hadamard" })
            {
                Series(rows.Where(r => r.Family == family && r.Rotation == rotation), $"{family} ({rotation})",
                    (family, rotation) switch
                    {
                        ("FibQuant", "Haar") => MarkerShape.FilledCircle,
                        ("FibQuant", _) => MarkerShape.OpenCircle,
                        (_, "Haar") => MarkerShape.FilledSquare,
                        _ => MarkerShape.OpenSquare,
                    },
                    rotation == "Haar" ? 2 : 1);
            }
        }

        Series(rows.Where(r => r.Family is "q8_0" or "q4_0" && r.Rotation == "—"), "llama.cpp q8_0 / q4_0", MarkerShape.FilledTriangleUp, 1);
        Series(rows.Where(r => r.Family is "q8_0" or "q4_0" && r.Rotation == "Hadamard"), "llama.cpp q8_0 / q4_0 + Hadamard", MarkerShape.OpenTriangleUp, 1);
        Series(rows.Where(r => r.Configuration.StartsWith("allocated", StringComparison.Ordinal)), "FibQuant rate allocation", MarkerShape.FilledDiamond, 2);

        if (!logY)
        {
            foreach (SweepRow fp16 in rows.Where(r => r.Family == "fp16"))
            {
                var marker = plot.Add.Marker(fp16.NominalCompression, Y(fp16));
                marker.LegendText = "fp16";
                marker.Color = Colors.Black;
                marker.Size = 12;
                marker.Shape = MarkerShape.FilledDiamond;
            }
        }

        plot.Title(title);
        plot.XLabel("compression vs fp16 (stored format: norm headers / block scales included)");
        plot.YLabel(logY ? yLabel.Replace("log scale", "log10", StringComparison.Ordinal) : yLabel);
        plot.ShowLegend(logY ? Alignment.LowerRight : Alignment.LowerLeft);
        plot.SaveSvg(Path.Combine(folder, file), Width, Height);
        return file;
    }
}
