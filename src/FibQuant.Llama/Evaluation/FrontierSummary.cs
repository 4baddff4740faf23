using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// The paper's table in kind for one model: the highest compression reaching attention cosine ≥ 0.99 and ≥ 0.95, the
/// smallest Δppl vs fp16 at ≥ 4× and ≥ 8× compression per family, and FibQuant vs TurboQuant vs q4_0 near 2 and 4 bits.
/// Only uniform rows (one codec for every stream, no full-precision tokens) compete.
/// </summary>
public static class FrontierSummary
{
    private static readonly string[] Families = { "FibQuant", "TurboQuant", "q4_0", "q8_0" };

    /// <summary>The quantized uniform row of <paramref name="source"/> with the highest compression whose cosine is at least <paramref name="cosine"/>, or null.</summary>
    public static SweepRow? HighestCompressionAtCosine(IReadOnlyList<SweepRow> rows, string source, double cosine)
    {
        ArgumentNullException.ThrowIfNull(rows);
        SweepRow? best = null;
        foreach (SweepRow r in rows)
        {
            if (r.Source != source || Array.IndexOf(Families, r.Family) < 0 || r.AttentionCosine < cosine) continue;
            if (best is null || r.NominalCompression > best.NominalCompression) best = r;
        }

        return best;
    }

    /// <summary>The row of <paramref name="family"/> with the smallest perplexity at compression ≥ <paramref name="compression"/>, or null.</summary>
    public static SweepRow? BestPerplexityAtCompression(IReadOnlyList<SweepRow> rows, string source, string family, double compression)
    {
        ArgumentNullException.ThrowIfNull(rows);
        SweepRow? best = null;
        foreach (SweepRow r in rows)
        {
            if (r.Source != source || r.Family != family || r.NominalCompression < compression || double.IsNaN(r.Perplexity)) continue;
            if (best is null || r.Perplexity < best.Perplexity) best = r;
        }

        return best;
    }

    /// <summary>The markdown tables for <paramref name="source"/>.</summary>
    public static string Format(IReadOnlyList<SweepRow> rows, string source)
    {
        ArgumentNullException.ThrowIfNull(rows);
        SweepRow? fp16 = rows.FirstOrDefault(r => r.Source == source && r.Family == "fp16");
        double fp16Ppl = fp16?.Perplexity ?? double.NaN;
        var text = new StringBuilder();
        text.Append("| target | configuration | CR | attention cosine | KL mean | Δ ppl vs fp16 |\n|---|---|---|---|---|---|\n");
        foreach (double cosine in new[] { 0.99, 0.95 })
        {
            SweepRow? r = HighestCompressionAtCosine(rows, source, cosine);
            text.Append(string.Create(CultureInfo.InvariantCulture, $"| highest CR at cosine ≥ {cosine:0.00} | "));
            AppendRow(text, r, fp16Ppl);
        }

        foreach (double compression in new[] { 4.0, 8.0 })
        {
            foreach (string family in Families)
            {
                SweepRow? r = BestPerplexityAtCompression(rows, source, family, compression);
                if (r is null) continue;
                text.Append(string.Create(CultureInfo.InvariantCulture, $"| best Δ ppl at CR ≥ {compression:0}×, {family} | "));
                AppendRow(text, r, fp16Ppl);
            }
        }

        return text.ToString();
    }

    /// <summary>FibQuant vs TurboQuant vs q4_0 near <paramref name="bits"/> stored bits per coordinate: the rows of each family whose stored bits are closest.</summary>
    public static string FormatMatchedBits(IReadOnlyList<SweepRow> rows, string source, IReadOnlyList<double> bits)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(bits);
        SweepRow? fp16 = rows.FirstOrDefault(r => r.Source == source && r.Family == "fp16");
        var text = new StringBuilder();
        text.Append("| stored bits ≈ | configuration | stored bits | CR | attention cosine | top-10 recall | KL mean | Δ ppl vs fp16 |\n|---|---|---|---|---|---|---|---|\n");
        foreach (double b in bits)
        {
            foreach (string family in new[] { "FibQuant", "TurboQuant", "q4_0" })
            {
                SweepRow? closest = null;
                foreach (SweepRow r in rows)
                {
                    if (r.Source != source || r.Family != family) continue;
                    if (closest is null || Math.Abs(r.StoredBits - b) < Math.Abs(closest.StoredBits - b)) closest = r;
                }

                if (closest is null || Math.Abs(closest.StoredBits - b) > 0.51) continue;
                text.Append(string.Create(CultureInfo.InvariantCulture, $"| {b:0.##} | ")).Append(ResultsMarkdownWriter.Escape(closest.Configuration)).Append(" | ")
                    .Append(ResultsMarkdownWriter.Fixed(closest.StoredBits, "0.###")).Append(" | ")
                    .Append(ResultsMarkdownWriter.Fixed(closest.NominalCompression, "0.00")).Append("× | ")
                    .Append(ResultsMarkdownWriter.Fixed(closest.AttentionCosine, "0.0000")).Append(" | ")
                    .Append(ResultsMarkdownWriter.Fixed(closest.Top10Recall, "0.0000")).Append(" | ")
                    .Append(ResultsMarkdownWriter.Fixed(closest.KlMean, "0.00000")).Append(" | ")
                    .Append(ResultsMarkdownWriter.Signed(closest.Perplexity - (fp16?.Perplexity ?? double.NaN))).Append(" |\n");
            }
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, SweepRow? r, double fp16Perplexity)
    {
        if (r is null)
        {
            text.Append("none | — | — | — | — |\n");
            return;
        }

        text.Append(ResultsMarkdownWriter.Escape(r.Configuration)).Append(" | ").Append(ResultsMarkdownWriter.Fixed(r.NominalCompression, "0.00")).Append("× | ")
            .Append(ResultsMarkdownWriter.Fixed(r.AttentionCosine, "0.0000")).Append(" | ").Append(ResultsMarkdownWriter.Fixed(r.KlMean, "0.00000")).Append(" | ")
            .Append(ResultsMarkdownWriter.Signed(r.Perplexity - fp16Perplexity)).Append(" |\n");
    }
}
