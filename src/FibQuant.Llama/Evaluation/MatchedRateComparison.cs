using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FibQuant.Llama.Evaluation;

/// <summary>FibQuant against scalar TurboQuant at one matched rate on one source and rotation.</summary>
/// <param name="Source">The rows' source.</param>
/// <param name="Rotation">The rotation both use.</param>
/// <param name="FibQuant">The FibQuant row.</param>
/// <param name="TurboQuant">The TurboQuant row at the same bits per coordinate.</param>
public readonly record struct MatchedRateComparison(string Source, string Rotation, SweepRow FibQuant, SweepRow TurboQuant)
{
    /// <summary>Whether FibQuant's attention cosine is higher.</summary>
    public bool FibQuantCosineHigher => FibQuant.AttentionCosine > TurboQuant.AttentionCosine;

    /// <summary>Whether FibQuant's perplexity increase over fp32 is smaller (false on synthetic sources).</summary>
    public bool FibQuantPerplexityLower => FibQuant.PerplexityIncrease < TurboQuant.PerplexityIncrease;

    /// <summary>
    /// Every (source, rotation) pair of a FibQuant row with block size <paramref name="blockSize"/> and a TurboQuant row
    /// at the same <paramref name="bits"/>, in row order.
    /// </summary>
    public static IReadOnlyList<MatchedRateComparison> Find(IReadOnlyList<SweepRow> rows, double bits = 2, int blockSize = 2)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var found = new List<MatchedRateComparison>();
        foreach (SweepRow f in rows)
        {
            if (f.Family != "FibQuant" || f.BlockSize != blockSize || f.BitsPerCoordinate != bits) continue;
            foreach (SweepRow t in rows)
            {
                if (t.Family == "TurboQuant" && t.Source == f.Source && t.Rotation == f.Rotation && t.BitsPerCoordinate == bits)
                    found.Add(new MatchedRateComparison(f.Source, f.Rotation, f, t));
            }
        }

        return found;
    }

    /// <summary>A markdown table of comparisons (cosine and, where measured, perplexity increase).</summary>
    public static string FormatMarkdown(IReadOnlyList<MatchedRateComparison> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var text = new StringBuilder();
        text.Append("| source | rotation | FibQuant | cosine FQ | cosine TQ | Δ ppl FQ | Δ ppl TQ | FQ better on |\n|---|---|---|---|---|---|---|---|\n");
        foreach (MatchedRateComparison c in comparisons)
        {
            bool model = !double.IsNaN(c.FibQuant.Perplexity);
            string better = (c.FibQuantCosineHigher ? "cosine" : "") +
                            (model && c.FibQuantPerplexityLower ? (c.FibQuantCosineHigher ? ", perplexity" : "perplexity") : "");
            text.Append("| ").Append(ResultsMarkdownWriter.Escape(c.Source)).Append(" | ").Append(c.Rotation).Append(" | ")
                .Append(ResultsMarkdownWriter.Escape(c.FibQuant.Configuration)).Append(" | ")
                .Append(c.FibQuant.AttentionCosine.ToString("0.00000", CultureInfo.InvariantCulture)).Append(" | ")
                .Append(c.TurboQuant.AttentionCosine.ToString("0.00000", CultureInfo.InvariantCulture)).Append(" | ")
                .Append(model ? c.FibQuant.PerplexityIncrease.ToString("+0.0000;−0.0000", CultureInfo.InvariantCulture) : "—").Append(" | ")
                .Append(model ? c.TurboQuant.PerplexityIncrease.ToString("+0.0000;−0.0000", CultureInfo.InvariantCulture) : "—").Append(" | ")
                .Append(better.Length == 0 ? "neither" : better).Append(" |\n");
        }

        return text.ToString();
    }
}
