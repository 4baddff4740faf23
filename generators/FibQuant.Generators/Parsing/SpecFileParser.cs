using System.Collections.Generic;
using System.IO;
using System.Threading;
using FibQuant.Design;
using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FibQuant.Generators.Parsing;

/// <summary>Reads a <c>codebooks/*.json</c> AdditionalFile into a <see cref="CodebookRequest"/> (values only).</summary>
internal static class SpecFileParser
{
    /// <summary>True for the additional files the generator reads: *.json directly inside a folder named "codebooks".</summary>
    public static bool IsSpecFile(AdditionalText file)
    {
        string path = file.Path;
        if (!path.EndsWith(".json", System.StringComparison.OrdinalIgnoreCase)) return false;
        string? folder = Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty);
        return string.Equals(folder, "codebooks", System.StringComparison.OrdinalIgnoreCase);
    }

    public static CodebookRequest Parse(AdditionalText file, CancellationToken cancellationToken)
    {
        string path = file.Path;
        string fileName = Path.GetFileName(path);
        SourceText? text = file.GetText(cancellationToken);
        if (text is null)
        {
            var unreadable = new LocationInfo(path, default, default);
            return Failed(path, unreadable, new DiagnosticInfo(DiagnosticDescriptors.MalformedSpecFile, unreadable, fileName, "the file could not be read"));
        }

        SpecFileParseResult result = CodebookSpecFile.Parse(text.ToString());
        if (!result.Success)
        {
            LocationInfo at = LocationInfo.InText(path, text, result.Line, result.Column);
            DiagnosticDescriptor descriptor = result.ErrorKind == SpecFileErrorKind.Inconsistent
                ? DiagnosticDescriptors.InconsistentSpecFile
                : DiagnosticDescriptors.MalformedSpecFile;
            return Failed(path, at, new DiagnosticInfo(descriptor, at, fileName, $"{result.Error} (line {result.Line}, column {result.Column})"));
        }

        CodebookSpecFile spec = result.File!;
        LocationInfo start = LocationInfo.InText(path, text, 1, 1);
        var diagnostics = new List<DiagnosticInfo>();
        SpecChecks.Validate(spec.ClassName, spec.Dimension, spec.BlockSize, spec.Codewords, (int)spec.Rotation, (int)spec.NormFormat,
            spec.TrainingSamples, spec.Restarts, _ => start, diagnostics);
        if (CodebookNames.Reserved(spec.ClassName) is string reason)
            diagnostics.Insert(0, new DiagnosticInfo(DiagnosticDescriptors.ClassNameTaken, start, spec.ClassName, reason));

        PrecomputedDesign? precomputed = spec.HasPrecomputedTable
            ? new PrecomputedDesign(spec.Shells!.Value, spec.DirectionsPerShell!.Value, new EquatableArray<float>(spec.Radii!),
                new EquatableArray<float>(spec.Table!), spec.Fingerprint!.Value, spec.TrainingDistortion)
            : null;
        return new CodebookRequest(CodebookNames.Escape(spec.ClassName), CodebookNames.EscapeNamespace(spec.Namespace ?? string.Empty), "static partial class", path, spec.Dimension, spec.BlockSize,
            spec.Codewords, spec.Seed, (int)spec.Rotation, (int)spec.NormFormat, spec.TrainingSamples, spec.Restarts, precomputed, start,
            EquatableArray.From(diagnostics));
    }

    private static CodebookRequest Failed(string path, LocationInfo at, DiagnosticInfo diagnostic) =>
        new(string.Empty, string.Empty, string.Empty, path, 0, 0, 0, 0, 0, 0, 0, 0, null, at, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
}
