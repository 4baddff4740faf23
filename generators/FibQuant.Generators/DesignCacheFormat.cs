using System;

namespace FibQuant.Generators;

/// <summary>
/// The persistent design cache's layout, shared by the generator and build/FibQuant.targets (keep the two in step). The
/// generator may not touch files, so the cache travels through the build: for every codebook it designs, the generator emits
/// a source file that holds the design as spec-file JSON in a comment; after compiling, the targets copy those files into
/// <c>obj/…/fibquant-design-cache/</c>, and before the next compile they pass them back as AdditionalFiles.
/// </summary>
internal static class DesignCacheFormat
{
    /// <summary>The build property (made compiler-visible by the targets) that turns the cache text on.</summary>
    public const string EnabledProperty = "build_property.FibQuantDesignCache";

    /// <summary>The folder the targets keep cache entries in; only AdditionalFiles directly inside it are read as entries.</summary>
    public const string FolderName = "fibquant-design-cache";

    /// <summary>A cache entry's extension: the generated file's name without its ".cs".</summary>
    public const string EntryExtension = ".fqdesign";

    /// <summary>
    /// Which generator designed an entry: the generator assembly's module version id, new with every compile of the generator
    /// (a packed generator keeps its id; a generator rebuilt from source gets a new one even when unchanged). A changed designer
    /// therefore always starts a fresh cache: an entry never hands out a table that the current designer would not produce.
    /// </summary>
    public static readonly string DesignerId = typeof(DesignCacheFormat).Assembly.ManifestModule.ModuleVersionId.ToString("N").Substring(0, 16);

    /// <summary>The class name written into entries: the cache is keyed by design parameters, not by who declared them.</summary>
    public const string EntryClassName = "DesignCacheEntry";

    /// <summary>The generated file's hint name: designer, fingerprint, then the class (two classes may share a design).</summary>
    public static string HintName(string fullName, ulong fingerprint) =>
        DesignerId + "-" + fingerprint.ToString("X16", System.Globalization.CultureInfo.InvariantCulture) + "." + fullName.Replace("@", string.Empty) + EntryExtension + ".cs";

    /// <summary>True when an entry's file name says the current generator made it.</summary>
    public static bool IsFromThisDesigner(string fileName) => fileName.StartsWith(DesignerId + "-", StringComparison.OrdinalIgnoreCase);
}
