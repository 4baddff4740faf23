using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using FibQuant.Generators.Emit;
using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;
using FibQuant.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FibQuant.Generators;

/// <summary>
/// Designs FibQuant codebooks while compiling: [FibQuantCodebook] classes and codebooks/*.json AdditionalFiles are
/// parsed into value models, designed (or checked against their precomputed fingerprint) and emitted as code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FibQuantCodebookGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (the incrementality tests look for them).</summary>
    public static class Steps
    {
        public const string Declarations = nameof(Declarations);
        public const string SpecFiles = nameof(SpecFiles);
        public const string Designs = nameof(Designs);
        public const string Duplicates = nameof(Duplicates);
        public const string CacheEntries = nameof(CacheEntries);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<CodebookRequest> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeParser.AttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => AttributeParser.Parse(ctx, ct))
            .Where(static request => request is not null)
            .Select(static (request, _) => request!)
            .WithTrackingName(Steps.Declarations);

        IncrementalValuesProvider<CodebookRequest> specFiles = context.AdditionalTextsProvider
            .Where(SpecFileParser.IsSpecFile)
            .Select(SpecFileParser.Parse)
            .WithTrackingName(Steps.SpecFiles);

        IncrementalValueProvider<EquatableArray<string>> duplicates = declarations.Select(static (r, _) => NameOf(r)).Collect()
            .Combine(specFiles.Select(static (r, _) => NameOf(r)).Collect())
            .Select(static (pair, _) => Duplicates(pair.Left.AddRange(pair.Right)))
            .WithTrackingName(Steps.Duplicates);

        IncrementalValuesProvider<CachedDesign> cacheEntries = context.AdditionalTextsProvider
            .Where(DesignCacheEntryParser.IsCacheEntry)
            .Select(DesignCacheEntryParser.Parse)
            .Where(static entry => entry is not null)
            .Select(static (entry, _) => entry!)
            .WithTrackingName(Steps.CacheEntries);

        IncrementalValueProvider<bool> cacheTextWanted = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue(DesignCacheFormat.EnabledProperty, out string? value)
            && string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase));

        IncrementalValuesProvider<DesignOutcome> designs = declarations.Collect()
            .Combine(specFiles.Collect())
            .SelectMany(static (pair, _) => pair.Left.AddRange(pair.Right))
            .Combine(cacheEntries.Collect())
            .Select(static (pair, _) => new DesignInput(pair.Left, CachedFor(pair.Left, pair.Right)))
            .Select(static (input, ct) => CodebookBuilder.Build(input, ct))
            .WithTrackingName(Steps.Designs);

        context.RegisterSourceOutput(designs.Combine(duplicates), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(designs.Combine(duplicates).Combine(cacheTextWanted),
            static (spc, input) => EmitCacheText(spc, input.Left.Left, input.Left.Right, input.Right));
        context.RegisterSourceOutput(cacheEntries.Where(static entry => entry.Problem is not null), static (spc, entry) => spc.ReportDiagnostic(
            new DiagnosticInfo(DiagnosticDescriptors.DesignCacheEntryIgnored, new LocationInfo(entry.Path, default, default), entry.Path, entry.Problem!).ToDiagnostic()));
        context.RegisterSourceOutput(declarations.Collect().Combine(specFiles.Collect()).Combine(duplicates),
            static (spc, input) => ReportDuplicates(spc, input.Left.Left.AddRange(input.Left.Right), input.Right));
    }

    private static string NameOf(CodebookRequest request) => request.ClassName.Length == 0 ? string.Empty : request.FullName;

    private static EquatableArray<string> Duplicates(ImmutableArray<string> names) => EquatableArray.From(
        names.Where(n => n.Length > 0).GroupBy(n => n, System.StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)
            .OrderBy(n => n, System.StringComparer.Ordinal));

    private static void Emit(SourceProductionContext context, DesignOutcome outcome, EquatableArray<string> duplicates)
    {
        foreach (DiagnosticInfo diagnostic in outcome.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
        DesignedCodebook? codebook = outcome.Codebook;
        if (codebook is null || duplicates.Contains(codebook.FullName)) return;
        context.AddSource(CodebookEmitter.HintName(codebook), CodebookEmitter.Emit(codebook));
    }

    /// <summary>The cache entry made for <paramref name="request"/>'s exact design parameters; spec files bring their own table.</summary>
    private static CachedDesign? CachedFor(CodebookRequest request, ImmutableArray<CachedDesign> entries)
    {
        if (request.Precomputed is not null || !request.Diagnostics.IsEmpty) return null;
        int samples = request.TrainingSamples == 0 ? FibQuant.Design.CodebookSpec.DefaultTrainingSamples(request.Codewords) : request.TrainingSamples;
        foreach (CachedDesign entry in entries)
        {
            if (entry.Matches(request.Dimension, request.BlockSize, request.Codewords, request.Seed, request.Rotation, samples, request.Restarts))
                return entry;
        }

        return null;
    }

    /// <summary>For the build's design cache: the designed codebook's spec text (only when the build harvests it, and not for spec files).</summary>
    private static void EmitCacheText(SourceProductionContext context, DesignOutcome outcome, EquatableArray<string> duplicates, bool wanted)
    {
        DesignedCodebook? codebook = outcome.Codebook;
        if (!wanted || codebook is null || codebook.Origin != "attribute" || duplicates.Contains(codebook.FullName)) return;
        context.AddSource(DesignCacheEmitter.HintName(codebook), DesignCacheEmitter.Emit(codebook));
    }

    private static void ReportDuplicates(SourceProductionContext context, ImmutableArray<CodebookRequest> requests, EquatableArray<string> duplicates)
    {
        foreach (string name in duplicates)
        {
            List<CodebookRequest> clashing = requests.Where(r => r.ClassName.Length > 0 && r.FullName == name).ToList();
            string origins = string.Join(", ", clashing.Select(r => r.Origin == "attribute" ? "attribute" : System.IO.Path.GetFileName(r.Origin)));
            foreach (CodebookRequest request in clashing)
                context.ReportDiagnostic(new DiagnosticInfo(DiagnosticDescriptors.DuplicateName, request.Location, name, origins).ToDiagnostic());
        }
    }
}
