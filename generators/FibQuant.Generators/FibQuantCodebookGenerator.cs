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

        IncrementalValuesProvider<DesignOutcome> designs = declarations.Collect()
            .Combine(specFiles.Collect())
            .SelectMany(static (pair, _) => pair.Left.AddRange(pair.Right))
            .Select(static (request, ct) => CodebookBuilder.Build(request, ct))
            .WithTrackingName(Steps.Designs);

        context.RegisterSourceOutput(designs.Combine(duplicates), static (spc, pair) => Emit(spc, pair.Left, pair.Right));
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
