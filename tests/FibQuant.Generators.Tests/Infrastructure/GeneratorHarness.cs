extern alias gen;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using FibQuant.Coding;
using gen::FibQuant.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace FibQuant.Generators.Tests.Infrastructure;

/// <summary>Runs <see cref="FibQuantCodebookGenerator"/> over in-memory sources and spec files.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The framework and the runtime library; not the generator itself (its linked Design types would clash).
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("FibQuant.Generators", StringComparison.Ordinal)).ToList();
        paths.Add(typeof(FibQuantizer).Assembly.Location);
        paths.Add(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location);
        return paths.Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create("GeneratorInput",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/src/Input{i}.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText>? additionalTexts = null, bool track = false,
        IReadOnlyDictionary<string, string>? buildProperties = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new FibQuantCodebookGenerator().AsSourceGenerator() },
            additionalTexts ?? Array.Empty<AdditionalText>(),
            ParseOptions,
            buildProperties is null ? null : new GlobalOptionsProvider(buildProperties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Runs the generator once; returns the result and the compilation with the generated sources added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(string source, params (string Path, string Text)[] specFiles)
    {
        CSharpCompilation input = Compilation(source);
        GeneratorDriver driver = Driver(specFiles.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _, CancellationToken.None);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return (result, output);
    }

    /// <summary>Compiler errors of <paramref name="compilation"/> (the generated code must compile cleanly).</summary>
    public static IReadOnlyList<Diagnostic> Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error || d.IsWarningAsError).ToList();
}

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class InMemoryText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
