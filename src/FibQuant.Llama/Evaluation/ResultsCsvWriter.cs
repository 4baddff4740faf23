using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FibQuant.Llama.Evaluation;

/// <summary>Writes sweep rows as RFC 4180 CSV (invariant culture, round-trip doubles, empty cells for NaN, per-layer values joined by ';').</summary>
public static class ResultsCsvWriter
{
    /// <summary>The header line's column names, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = new[]
    {
        "source", "head_dim", "configuration", "family", "rotation", "k", "N", "bits_per_coordinate", "stored_bits",
        "compression_nominal", "compression_measured", "attention_cosine", "worst_cosine", "perplexity",
        "perplexity_increase", "whole_file_perplexity", "kl_mean", "kl_p99", "top1_agreement", "top10_recall",
        "layer_cosine", "layer_recall",
    };

    /// <summary>Writes the header and one line per row.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<SweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        writer.Write(string.Join(',', Columns));
        writer.Write('\n');
        foreach (SweepRow r in rows)
        {
            var line = new StringBuilder();
            line.Append(Quote(r.Source)).Append(',').Append(Int(r.HeadDimension)).Append(',').Append(Quote(r.Configuration)).Append(',')
                .Append(Quote(r.Family)).Append(',').Append(Quote(r.Rotation)).Append(',').Append(Int(r.BlockSize)).Append(',')
                .Append(Int(r.Codewords)).Append(',').Append(Number(r.BitsPerCoordinate)).Append(',').Append(Number(r.StoredBits)).Append(',')
                .Append(Number(r.NominalCompression)).Append(',').Append(Number(r.MeasuredCompression)).Append(',')
                .Append(Number(r.AttentionCosine)).Append(',').Append(Number(r.WorstCosine)).Append(',')
                .Append(Number(r.Perplexity)).Append(',').Append(Number(r.PerplexityIncrease)).Append(',').Append(Number(r.WholeFilePerplexity)).Append(',')
                .Append(Number(r.KlMean)).Append(',').Append(Number(r.KlP99)).Append(',').Append(Number(r.Top1Agreement)).Append(',')
                .Append(Number(r.Top10Recall)).Append(',').Append(Joined(r.LayerCosine)).Append(',').Append(Joined(r.LayerRecall));
            writer.Write(line.ToString());
            writer.Write('\n');
        }
    }

    /// <summary>Writes to a file (UTF-8 without BOM).</summary>
    public static void Write(string path, IReadOnlyList<SweepRow> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        Write(writer, rows);
    }

    /// <summary>A CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string Joined(IReadOnlyList<double> values)
    {
        var parts = new string[values.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = Number(values[i]);
        return string.Join(';', parts);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
}
