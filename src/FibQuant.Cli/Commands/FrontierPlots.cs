using FibQuant.Llama.Evaluation;
using ScottPlot;

namespace FibQuant.Cli.Commands;

/// <summary>
/// SVG memory–fidelity frontiers with ScottPlot: compression ratio (format, against fp16) on x, attention cosine or
/// perplexity on y, one series per (family, rotation) and an fp16 point.
/// </summary>
internal static class FrontierPlots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>Writes every plot of <paramref name="result"/> into <paramref name="folder"/>; returns the file names.</summary>
    public static List<string> WriteAll(SweepResult result, string folder)
    {
        var files = new List<string>();
        var sources = new List<string>();
        foreach (SweepRow row in result.Rows)
        {
            if (!sources.Contains(row.Source)) sources.Add(row.Source);
        }

        foreach (string source in sources)
        {
            List<SweepRow> rows = result.Rows.Where(r => r.Source == source).ToList();
            string stem = source.Replace(' ', '-').Replace("=", "", StringComparison.Ordinal);
            string cosineFile = $"{stem}-cosine.svg";
            Write(rows, r => r.AttentionCosine, "attention-output cosine vs fp32", $"{source} (d = {rows[0].HeadDimension}): compression vs attention cosine",
                Path.Combine(folder, cosineFile), null);
            files.Add(cosineFile);
            if (rows.Any(r => !double.IsNaN(r.Perplexity)))
            {
                string pplFile = $"{stem}-perplexity.svg";
                double? fp32 = rows.Where(r => r.Family == "fp32").Select(r => (double?)r.Perplexity).FirstOrDefault();
                Write(rows, r => r.Perplexity, "perplexity (lower is better)", $"{source} (d = {rows[0].HeadDimension}): compression vs perplexity",
                    Path.Combine(folder, pplFile), fp32);
                files.Add(pplFile);
            }
        }

        return files;
    }

    private static void Write(List<SweepRow> rows, Func<SweepRow, double> y, string yLabel, string title, string path, double? float32Line)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (string family in new[] { "FibQuant", "TurboQuant" })
        {
            foreach (string rotation in new[] { "Haar", "Hadamard" })
            {
                List<SweepRow> series = rows.Where(r => r.Family == family && r.Rotation == rotation).OrderBy(r => r.NominalCompression).ToList();
                Color color = palette.GetColor(colour++);
                if (series.Count == 0) continue;
                var scatter = plot.Add.Scatter(series.Select(r => r.NominalCompression).ToArray(), series.Select(y).ToArray());
                scatter.LegendText = $"{family} ({rotation})";
                scatter.Color = color;
                scatter.MarkerSize = 8;
                // Skia's SVG canvas cannot write dash effects: rotations differ by filled / open markers and line width.
                scatter.MarkerShape = (family, rotation) switch
                {
                    ("FibQuant", "Haar") => MarkerShape.FilledCircle,
                    ("FibQuant", _) => MarkerShape.OpenCircle,
                    (_, "Haar") => MarkerShape.FilledSquare,
                    _ => MarkerShape.OpenSquare,
                };
                scatter.LineWidth = rotation == "Haar" ? 2 : 1;
            }
        }

        foreach (SweepRow fp16 in rows.Where(r => r.Family == "fp16"))
        {
            var marker = plot.Add.Marker(fp16.NominalCompression, y(fp16));
            marker.LegendText = "fp16";
            marker.Color = Colors.Black;
            marker.Size = 12;
            marker.Shape = MarkerShape.FilledDiamond;
        }

        if (float32Line is double level)
        {
            var line = plot.Add.HorizontalLine(level);
            line.LegendText = "fp32";
            line.Color = Colors.Gray;
        }

        plot.Title(title);
        plot.XLabel("compression vs fp16 (fp16 norm header + packed indices)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SaveSvg(path, Width, Height);
    }
}
