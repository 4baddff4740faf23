using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Writes sweep rows as GitHub markdown tables, one per source, with fixed-precision numbers; a source gets perplexity
/// (and whole-file) columns when any of its rows has them, "—" marks a missing value.
/// </summary>
public static class ResultsMarkdownWriter
{
    /// <summary>The markdown tables (a "### source" heading and a table per source, in row order).</summary>
    public static string Format(IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        string? source = null;
        bool model = false, whole = false;
        foreach (SweepRow r in rows)
        {
            if (r.Source != source)
            {
                source = r.Source;
                model = false;
                whole = false;
                foreach (SweepRow other in rows)
                {
                    if (other.Source != source) continue;
                    model |= !double.IsNaN(other.Perplexity);
                    whole |= !double.IsNaN(other.WholeFilePerplexity);
                }

                if (text.Length > 0) text.Append('\n');
                text.Append("### ").Append(Escape(source)).Append(" (d = ").Append(Int(r.HeadDimension)).Append(")\n\n");
                text.Append("| configuration | b | CR (format) | CR (cache bytes) | attention cosine | ")
                    .Append(model ? "worst head" : "worst query").Append(model ? " | perplexity | Δ ppl vs fp32" : "")
                    .Append(whole ? " | whole-file ppl" : "").Append(" |\n");
                text.Append("|---|---|---|---|---|---").Append(model ? "|---|---" : "").Append(whole ? "|---" : "").Append("|\n");
            }

            text.Append("| ").Append(Escape(r.Configuration)).Append(" | ").Append(r.BitsPerCoordinate.ToString("0.###", CultureInfo.InvariantCulture))
                .Append(" | ").Append(Fixed(r.NominalCompression, "0.00")).Append("× | ").Append(Fixed(r.MeasuredCompression, "0.00")).Append("× | ")
                .Append(Fixed(r.AttentionCosine, "0.00000")).Append(" | ").Append(Fixed(r.WorstCosine, "0.00000"));
            if (model) text.Append(" | ").Append(Fixed(r.Perplexity, "0.0000")).Append(" | ").Append(Signed(r.PerplexityIncrease));
            if (whole) text.Append(" | ").Append(Fixed(r.WholeFilePerplexity, "0.0000"));
            text.Append(" |\n");
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

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Fixed(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Signed(double value) => double.IsNaN(value) ? "—" : value.ToString("+0.0000;−0.0000;0.0000", CultureInfo.InvariantCulture);
}
