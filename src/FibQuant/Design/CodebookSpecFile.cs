using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FibQuant.Coding;

namespace FibQuant.Design;

/// <summary>
/// A codebook spec file (<c>codebooks/*.json</c>): the generated class's name and namespace, the spec fields and,
/// for designs too large to run inside the compiler, the precomputed shell layout, radii, table and fingerprint.
/// The format is one flat JSON object; <see cref="Parse"/> is strict and reports errors as values with a line and column.
/// </summary>
public sealed class CodebookSpecFile
{
    private readonly float[]? _radii;
    private readonly float[]? _table;

    private CodebookSpecFile(string className, string? @namespace, int dimension, int blockSize, int codewords, ulong seed,
        RotationKind rotation, NormFormat normFormat, int trainingSamples, int restarts, int? shells, int? directionsPerShell,
        float[]? radii, float[]? table, ulong? fingerprint, double trainingDistortion)
    {
        ClassName = className;
        Namespace = @namespace;
        Dimension = dimension;
        BlockSize = blockSize;
        Codewords = codewords;
        Seed = seed;
        Rotation = rotation;
        NormFormat = normFormat;
        TrainingSamples = trainingSamples;
        Restarts = restarts;
        Shells = shells;
        DirectionsPerShell = directionsPerShell;
        _radii = radii;
        _table = table;
        Fingerprint = fingerprint;
        TrainingDistortion = trainingDistortion;
    }

    /// <summary>Name of the generated static partial class.</summary>
    public string ClassName { get; }

    /// <summary>Namespace of the generated class; null or empty for the global namespace.</summary>
    public string? Namespace { get; }

    /// <summary>Vector length d.</summary>
    public int Dimension { get; }

    /// <summary>Block length k.</summary>
    public int BlockSize { get; }

    /// <summary>Codebook size N.</summary>
    public int Codewords { get; }

    /// <summary>Design seed.</summary>
    public ulong Seed { get; }

    /// <summary>Rotation kind.</summary>
    public RotationKind Rotation { get; }

    /// <summary>Norm header format of the generated codec.</summary>
    public NormFormat NormFormat { get; }

    /// <summary>Training sample size; 0 picks <see cref="CodebookSpec.DefaultTrainingSamples"/>.</summary>
    public int TrainingSamples { get; }

    /// <summary>Lloyd–Max restarts.</summary>
    public int Restarts { get; }

    /// <summary>Precomputed shell count L, or null.</summary>
    public int? Shells { get; }

    /// <summary>Precomputed directions per shell M_a, or null.</summary>
    public int? DirectionsPerShell { get; }

    /// <summary>Precomputed shell radii, or null.</summary>
    public float[]? Radii => _radii is null ? null : (float[])_radii.Clone();

    /// <summary>Precomputed N×k table, or null.</summary>
    public float[]? Table => _table is null ? null : (float[])_table.Clone();

    /// <summary>The fingerprint recorded with the precomputed table, or null.</summary>
    public ulong? Fingerprint { get; }

    /// <summary>Training distortion recorded with the precomputed table (0 when absent).</summary>
    public double TrainingDistortion { get; }

    /// <summary>True when the file carries a precomputed table (then shells, radii and fingerprint are present too).</summary>
    public bool HasPrecomputedTable => _table is not null;

    /// <summary>Validates the spec fields; on success <paramref name="spec"/> is set.</summary>
    public SpecError TryCreateSpec(out CodebookSpec? spec)
    {
        spec = null;
        int samples = TrainingSamples == 0 ? CodebookSpec.DefaultTrainingSamples(Codewords) : TrainingSamples;
        SpecError error = CodebookSpec.Validate(Dimension, BlockSize, Codewords, Rotation, samples, Restarts);
        if (!error.IsError) spec = new CodebookSpec(Dimension, BlockSize, Codewords, Seed, Rotation, samples, Restarts);
        return error;
    }

    /// <summary>
    /// Builds the codebook from the precomputed table (rotation recomputed from the seed) and checks it against the
    /// recorded fingerprint; throws <see cref="ArgumentException"/> when the data does not fit the spec or the fingerprint.
    /// </summary>
    public Codebook CreatePrecomputedCodebook(CodebookSpec spec, System.Threading.CancellationToken cancellationToken = default)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        if (_table is null || _radii is null || Shells is null || DirectionsPerShell is null || Fingerprint is null)
            throw new InvalidOperationException("The spec file holds no precomputed table.");
        float[] rotation = RotationDesign.Create(spec.Rotation, spec.Dimension, spec.Seed, cancellationToken);
        return new Codebook(spec, Shells.Value, DirectionsPerShell.Value, (float[])_radii.Clone(), (float[])_table.Clone(), rotation,
            TrainingDistortion, Fingerprint.Value);
    }

    /// <summary>Writes a spec file holding <paramref name="codebook"/>'s precomputed table (floats in round-trip form).</summary>
    public static string Write(Codebook codebook, string className, string? @namespace, NormFormat normFormat = NormFormat.Half)
    {
        if (codebook is null) throw new ArgumentNullException(nameof(codebook));
        if (string.IsNullOrEmpty(className)) throw new ArgumentException("className must not be empty.", nameof(className));
        CodebookSpec spec = codebook.Spec;
        var text = new StringBuilder();
        text.Append("{\n");
        AppendString(text, "className", className);
        if (!string.IsNullOrEmpty(@namespace)) AppendString(text, "namespace", @namespace!);
        AppendRaw(text, "dimension", Invariant(spec.Dimension));
        AppendRaw(text, "blockSize", Invariant(spec.BlockSize));
        AppendRaw(text, "codewords", Invariant(spec.Codewords));
        AppendRaw(text, "seed", spec.Seed.ToString(CultureInfo.InvariantCulture));
        AppendString(text, "rotation", spec.Rotation.ToString());
        AppendString(text, "normFormat", normFormat.ToString());
        AppendRaw(text, "trainingSamples", Invariant(spec.TrainingSamples));
        AppendRaw(text, "restarts", Invariant(spec.Restarts));
        AppendRaw(text, "shells", Invariant(codebook.Shells));
        AppendRaw(text, "directionsPerShell", Invariant(codebook.DirectionsPerShell));
        AppendRaw(text, "trainingDistortion", codebook.TrainingDistortion.ToString("R", CultureInfo.InvariantCulture));
        AppendString(text, "fingerprint", "0x" + codebook.Fingerprint.ToString("X16", CultureInfo.InvariantCulture));
        AppendFloats(text, "radii", codebook.Radii.ToArray(), 8, last: false);
        AppendFloats(text, "table", codebook.Table.ToArray(), spec.BlockSize, last: true);
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>Parses a spec file; never throws for malformed input (the error carries a 1-based line and column).</summary>
    public static SpecFileParseResult Parse(string text)
    {
        List<KeyValuePair<string, FlatJsonValue>> members;
        try
        {
            members = FlatJsonReader.ReadObject(text);
        }
        catch (FlatJsonException e)
        {
            return SpecFileParseResult.Failure(e.Message, e.Line, e.Column);
        }

        return SpecFileFields.Bind(members);
    }

    internal static CodebookSpecFile Create(string className, string? @namespace, int dimension, int blockSize, int codewords, ulong seed,
        RotationKind rotation, NormFormat normFormat, int trainingSamples, int restarts, int? shells, int? directionsPerShell,
        float[]? radii, float[]? table, ulong? fingerprint, double trainingDistortion)
        => new(className, @namespace, dimension, blockSize, codewords, seed, rotation, normFormat, trainingSamples, restarts, shells,
            directionsPerShell, radii, table, fingerprint, trainingDistortion);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AppendRaw(StringBuilder text, string name, string value) =>
        text.Append("  \"").Append(name).Append("\": ").Append(value).Append(",\n");

    private static void AppendString(StringBuilder text, string name, string value)
    {
        text.Append("  \"").Append(name).Append("\": \"");
        foreach (char c in value)
        {
            if (c == '"' || c == '\\') text.Append('\\').Append(c);
            else if (c < ' ') text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }

        text.Append("\",\n");
    }

    private static void AppendFloats(StringBuilder text, string name, float[] values, int perLine, bool last)
    {
        text.Append("  \"").Append(name).Append("\": [");
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(i % perLine == 0 ? "\n    " : " ");
            text.Append(FormatFloat(values[i]));
        }

        text.Append(values.Length > 0 ? "\n  ]" : "]").Append(last ? "\n" : ",\n");
    }

    /// <summary>Shortest text that parses back to the same float bits ("G9" always round-trips a float).</summary>
    internal static string FormatFloat(float value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) != value || (value == 0 && IsNegativeZero(value) && text[0] != '-'))
            text = value.ToString("G9", CultureInfo.InvariantCulture);
        return text;
    }

    private static bool IsNegativeZero(float value) => value == 0 && BitConverter.GetBytes(value)[3] == 0x80;
}
