using System;
using System.IO;
using System.Threading;
using FibQuant.Design;
using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FibQuant.Generators.Parsing;

/// <summary>Reads a design cache entry (an AdditionalFile in a fibquant-design-cache folder) into a <see cref="CachedDesign"/>.</summary>
internal static class DesignCacheEntryParser
{
    /// <summary>True for the design cache's entries: *.fqdesign directly inside a folder named "fibquant-design-cache".</summary>
    public static bool IsCacheEntry(AdditionalText file)
    {
        string path = file.Path;
        if (!path.EndsWith(DesignCacheFormat.EntryExtension, StringComparison.OrdinalIgnoreCase)) return false;
        string folder = Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty);
        return string.Equals(folder, DesignCacheFormat.FolderName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The entry's design, or null for an entry another generator build made (not an error: it is simply not ours to use).
    /// An unreadable entry comes back with its <see cref="CachedDesign.Problem"/> and no design.
    /// </summary>
    public static CachedDesign? Parse(AdditionalText file, CancellationToken cancellationToken)
    {
        if (!DesignCacheFormat.IsFromThisDesigner(Path.GetFileName(file.Path))) return null;
        string? text = file.GetText(cancellationToken)?.ToString();
        if (text is null) return Unreadable(file.Path, "the file could not be read");
        int open = text.IndexOf('{');
        int close = text.LastIndexOf('}');
        if (open < 0 || close < open) return Unreadable(file.Path, "it holds no JSON object");

        SpecFileParseResult result = CodebookSpecFile.Parse(text.Substring(open, close - open + 1));
        if (!result.Success) return Unreadable(file.Path, result.Error!);
        CodebookSpecFile spec = result.File!;
        if (!spec.HasPrecomputedTable) return Unreadable(file.Path, "it holds no table");
        int samples = spec.TrainingSamples == 0 ? CodebookSpec.DefaultTrainingSamples(spec.Codewords) : spec.TrainingSamples;
        var design = new PrecomputedDesign(spec.Shells!.Value, spec.DirectionsPerShell!.Value, new EquatableArray<float>(spec.Radii!),
            new EquatableArray<float>(spec.Table!), spec.Fingerprint!.Value, spec.TrainingDistortion);
        return new CachedDesign(file.Path, spec.Dimension, spec.BlockSize, spec.Codewords, spec.Seed, (int)spec.Rotation, samples, spec.Restarts,
            design, null);
    }

    private static CachedDesign Unreadable(string path, string problem) => new(path, 0, 0, 0, 0, 0, 0, 0, null, problem);
}
