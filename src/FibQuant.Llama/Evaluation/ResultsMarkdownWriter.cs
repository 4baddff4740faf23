using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Writes sweep rows as GitHub markdown tables, one per source, with fixed-precision numbers; model sources get the
/// next-token measures (perplexity, KL, top-1) and attention top-10 recall, and a per-layer table; "—" marks a missing value.
/// </summary>
public static class ResultsMarkdownWriter
{
    /// <summary>The markdown tables (a "### source" heading and a table per source, in row order).</summary>
    public static string Format(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        var sources = new List<string>();
        foreach (SweepRow r in rows)
        {
            if (!sources.Contains(r.Source)) sources.Add(r.Source);
        }

        foreach (string source in sources)
        {
            List<SweepRow> own = rows.Where(r => r.Source == source).ToList();
            bool model = own.Exists(r => !double.IsNaN(r.Perplexity));
            bool whole = own.Exists(r => !double.IsNaN(r.WholeFilePerplexity));
            if (text.Length > 0) text.Append('\n');
            text.Append("### ").Append(Escape(source)).Append(" (d = ").Append(Int(own[0].HeadDimension)).Append(")\n\n");
            text.Append("| configuration | b | stored bits | CR | CR (bytes) | attention cosine | ").Append(model ? "worst head" : "worst query");
            if (model) text.Append(" | top-10 recall | KL mean | KL p99 | top-1 | perplexity | Δ ppl vs fp32");
            if (whole) text.Append(" | whole-file ppl");
            text.Append(" |\n|---|---|---|---|---|---|---").Append(model ? "|---|---|---|---|---|---" : "").Append(whole ? "|---" : "").Append("|\n");
            foreach (SweepRow r in own)
            {
                text.Append("| ").Append(Escape(r.Configuration)).Append(" | ").Append(Fixed(r.BitsPerCoordinate, "0.###"))
                    .Append(" | ").Append(Fixed(r.StoredBits, "0.###")).Append(" | ").Append(Fixed(r.NominalCompression, "0.00")).Append("× | ")
                    .Append(Fixed(r.MeasuredCompression, "0.00")).Append("× | ").Append(Fixed(r.AttentionCosine, "0.00000")).Append(" | ")
                    .Append(Fixed(r.WorstCosine, "0.00000"));
                if (model)
                {
                    text.Append(" | ").Append(Fixed(r.Top10Recall, "0.0000")).Append(" | ").Append(Fixed(r.KlMean, "0.00000")).Append(" | ")
                        .Append(Fixed(r.KlP99, "0.0000")).Append(" | ").Append(Fixed(r.Top1Agreement, "0.0000")).Append(" | ")
                        .Append(Fixed(r.Perplexity, "0.0000")).Append(" | ").Append(Signed(r.PerplexityIncrease));
                }

                if (whole) text.Append(" | ").Append(Fixed(r.WholeFilePerplexity, "0.0000"));
                text.Append(" |\n");
            }

            if (model) AppendLayers(text, own);
        }

        return text.ToString();
    }

    /// <summary>Writes <see cref="Format"/> to a file (UTF-8 without BOM).</summary>
    public static void Write(string path, IReadOnlyList<SweepRow> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, Format(rows), new UTF8Encoding(false));
    }

    /// <summary>Escapes the characters markdown table cells cannot hold as is.</summary>
    public static string Escape(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }

    /// <summary>A number with a fixed format, "—" for NaN.</summary>
    public static string Fixed(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A signed difference, "—" for NaN.</summary>
    public static string Signed(double value) => double.IsNaN(value) ? "—" : value.ToString("+0.0000;−0.0000;0.0000", CultureInfo.InvariantCulture);

    /// <summary>Per-layer values joined by " / ".</summary>
    public static string Layers(IReadOnlyList<double> values, string format)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parts = new string[values.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = Fixed(values[i], format);
        return string.Join(" / ", parts);
    }

    private static void AppendLayers(StringBuilder text, List<SweepRow> rows)
    {
        text.Append("\nPer layer (layer 0 / 1 / …):\n\n| configuration | attention cosine per layer | top-10 recall per layer |\n|---|---|---|\n");
        foreach (SweepRow r in rows)
        {
            text.Append("| ").Append(Escape(r.Configuration)).Append(" | ").Append(Layers(r.LayerCosine, "0.0000")).Append(" | ")
                .Append(Layers(r.LayerRecall, "0.000")).Append(" |\n");
        }
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
