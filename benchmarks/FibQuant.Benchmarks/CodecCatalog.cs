using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.CompilerServices;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Benchmarks;

/// <summary>
/// The codecs the encode / decode benchmarks compare, by name, designed once per process (seed 7):
/// <c>tq-b1</c> (k = 1, N = 2), <c>tq-b2</c> (k = 1, N = 4), <c>k2n16</c> (b = 2), <c>k4n256</c> (b = 2), <c>k8n256</c> (b = 1),
/// each optionally suffixed <c>-2stage</c> or <c>-hier</c> for the two-stage / hierarchical encoder.
/// N = 256 tables at d = 128 come from the committed spec files (Haar; the Hadamard variant reuses the same table with
/// Hadamard signs — the table does not depend on the rotation). A d = 64 N = 256 design takes minutes; the benchmark
/// classes skip those cases (<see cref="CaseFilter"/>), and a direct call gets a quick design (8 192 training blocks, one restart).
/// </summary>
public static class CodecCatalog
{
    /// <summary>Seed of every benchmark codebook (the same as the generated ones and the spec files).</summary>
    public const ulong Seed = 7;

    private static readonly ConcurrentDictionary<(string, int, RotationKind), FibQuantizer> Cache = new();
    private static readonly ConcurrentDictionary<(int, int, int, RotationKind), Codebook> Codebooks = new();

    /// <summary>The runtime codec called <paramref name="name"/> at dimension <paramref name="dimension"/>.</summary>
    public static FibQuantizer Get(string name, int dimension, RotationKind rotation) =>
        Cache.GetOrAdd((name, dimension, rotation), key => Create(key.Item1, key.Item2, key.Item3));

    /// <summary>The designed (or loaded) codebook (d, k, N) with <paramref name="rotation"/>.</summary>
    public static Codebook Codebook(int dimension, int k, int n, RotationKind rotation) =>
        Codebooks.GetOrAdd((dimension, k, n, rotation), key => CreateCodebook(key.Item1, key.Item2, key.Item3, key.Item4));

    private static FibQuantizer Create(string name, int dimension, RotationKind rotation)
    {
        if (name is "tq-b1" or "tq-b2")
            return new FibQuantizer(Codebook(dimension, 1, name == "tq-b1" ? 2 : 4, rotation), NormFormat.Half, EncoderKind.Exact);
        string[] parts = name.Split('-', 2);
        EncoderKind encoder = parts.Length == 1 ? EncoderKind.Exact : parts[1] switch
        {
            "2stage" => EncoderKind.TwoStage,
            "hier" => EncoderKind.Hierarchical,
            _ => throw new ArgumentException($"Unknown encoder suffix in '{name}'.", nameof(name)),
        };
        (int k, int n) = parts[0] switch
        {
            "k2n16" => (2, 16),
            "k4n256" => (4, 256),
            "k8n256" => (8, 256),
            _ => throw new ArgumentException($"Unknown codec '{name}'.", nameof(name)),
        };
        return new FibQuantizer(Codebook(dimension, k, n, rotation), NormFormat.Half, encoder);
    }

    private static Codebook CreateCodebook(int dimension, int k, int n, RotationKind rotation)
    {
        if (n == 256 && dimension == 128)
        {
            Codebook haar = FromSpecFile($"Kv128x{k}x256.json");
            if (rotation == RotationKind.Haar) return haar;
            var spec = new CodebookSpec(dimension, k, n, Seed, rotation, haar.Spec.TrainingSamples, haar.Spec.Restarts);
            return new Codebook(spec, haar.Shells, haar.DirectionsPerShell, haar.Radii.ToArray(), haar.Table.ToArray(),
                RotationDesign.Create(rotation, dimension, Seed), haar.TrainingDistortion);
        }

        var quick = n >= 256 ? new CodebookSpec(dimension, k, n, Seed, rotation, trainingSamples: 8192, restarts: 1)
            : new CodebookSpec(dimension, k, n, Seed, rotation);
        return CodebookDesigner.Design(quick);
    }

    internal static Codebook FromSpecFile(string name)
    {
        SpecFileParseResult parsed = CodebookSpecFile.Parse(File.ReadAllText(CodebooksFile(name)));
        if (!parsed.Success || parsed.File is null) throw new InvalidDataException($"{name}: {parsed.Error}");
        if (parsed.File.TryCreateSpec(out CodebookSpec? spec).IsError || spec is null) throw new InvalidDataException($"{name}: bad spec.");
        return parsed.File.CreatePrecomputedCodebook(spec);
    }

    // Copied next to the assembly by the project file; the source tree is the fallback.
    private static string CodebooksFile(string name, [CallerFilePath] string caller = "")
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "codebooks", name);
        return File.Exists(beside) ? beside : Path.Combine(Path.GetDirectoryName(caller)!, "..", "..", "codebooks", name);
    }
}
