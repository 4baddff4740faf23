extern alias gen;

using System.Collections.Generic;
using System.Linq;
using FibQuant.Generators.Tests.Infrastructure;
using gen::FibQuant.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>
/// Odd but legal declarations: each one either compiles with its generated code or gets an FQ diagnostic, and a valid codebook
/// declared beside it in the same compilation is still generated (Roslyn drops every output of a generator that throws).
/// </summary>
public sealed class HostileDeclarationTests
{
    private const string Usings = "using FibQuant.Generation;\n";
    private const string Bystander = "namespace Good { [FibQuantCodebook(8, 2, 4, Seed = 9, TrainingSamples = 512, Restarts = 1)] static partial class Bystander; }\n";
    private const string Small = "(8, 2, 4, Seed = 9, TrainingSamples = 512, Restarts = 1)";

    /// <summary>Declaration → the FQ id it must get, or null when it must compile.</summary>
    public static TheoryData<string, string?> Attributes => new()
    {
        { "namespace @int { [FibQuantCodebook" + Small + "] static partial class A; }", null },
        { "namespace @int.@event { [FibQuantCodebook" + Small + "] static partial class @class; }", null },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class @class; }", null },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class @var; }", "FQ0015" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class dynamic; }", "FQ0015" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class @record; }", null },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class @global; }", null },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class Ωmega; }", null },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class \\u0041bc; }", null },
        { "[FibQuantCodebook" + Small + "] static partial class InGlobalNamespace;", null },
        { "namespace N { [FibQuantCodebook" + Small + "] public static unsafe partial class Unsafe; }", null },
        { "namespace N { [FibQuantCodebook" + Small + "] file static partial class F; }", "FQ0001" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class Codec; }", "FQ0015" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class Encode; }", "FQ0015" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class Dimension; }", "FQ0015" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class A { public static int Dimension => 1; } }", "FQ0016" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class A { public static void Encode() { } } }", "FQ0016" },
        { "namespace N { [FibQuantCodebook" + Small + "] static partial class A { public struct Codec { } } }", "FQ0016" },
    };

    /// <summary>(className, namespace) of a spec file → the FQ id it must get, or null when it must compile.</summary>
    public static TheoryData<string, string?, string?> SpecFiles => new()
    {
        { "class", "int.event", null },
        { "class", null, null },
        { "var", "record.file", "FQ0015" },
        { "Program", "record.file", null },
        { "record", "N", null },
        { "required", "N", null },
        { "scoped", "N", null },
        { "file", "N", null },
        { "A", "global", null },
        { "Codec", "N", null },
        { "EncodeBatch", null, null },
    };

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Attribute_declaration_compiles_or_gets_an_fq_diagnostic(string declaration, string? expectedId)
    {
        var (result, output) = GeneratorHarness.Run(Usings + Bystander + declaration);
        AssertOutcome(result, output, expectedId);
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void Spec_file_names_compile_or_get_an_fq_diagnostic(string className, string? ns, string? expectedIdOverride)
    {
        string? expectedId = expectedIdOverride ?? (CodebookNames.Reserved(className) is null ? null : "FQ0015");
        var (result, output) = GeneratorHarness.Run(Usings + Bystander, ("/r/codebooks/hostile.json", DiagnosticTests.Small(className, ns)));
        AssertOutcome(result, output, expectedId);
    }

    [Fact]
    public void Keyword_namespace_gets_a_hint_name_without_escapes()
    {
        var (result, _) = GeneratorHarness.Run(Usings + "namespace @int.@event { [FibQuantCodebook" + Small + "] static partial class @class; }");
        Assert.Null(result.Exception);
        Assert.Equal("int.event.class.FibQuant.g.cs", Assert.Single(result.GeneratedSources).HintName);
    }

    [Fact]
    public void Reserved_names_are_exactly_the_members_the_emitter_declares()
    {
        var (result, _) = GeneratorHarness.Run(Usings + "namespace N { [FibQuantCodebook(16, 2, 8, TrainingSamples = 512, Restarts = 1)] static partial class Haar; "
            + "[FibQuantCodebook(16, 1, 4, Rotation = FibQuant.Design.RotationKind.Hadamard, TrainingSamples = 512, Restarts = 1)] static partial class Hadamard; }");
        Assert.Empty(result.Diagnostics);
        var declared = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (GeneratedSourceResult source in result.GeneratedSources)
        {
            SyntaxNode root = CSharpSyntaxTree.ParseText(source.SourceText).GetRoot();
            ClassDeclarationSyntax codebook = root.DescendantNodes().OfType<ClassDeclarationSyntax>().First();
            foreach (MemberDeclarationSyntax member in codebook.Members) declared.UnionWith(Names(member));
        }

        Assert.Equal(new SortedSet<string>(CodebookNames.GeneratedMembers, System.StringComparer.Ordinal), declared);
    }

    private static IEnumerable<string> Names(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => new[] { type.Identifier.ValueText },
        MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
        PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
        BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
        _ => throw new Xunit.Sdk.XunitException("unexpected generated member kind " + member.Kind()),
    };

    private static void AssertOutcome(GeneratorRunResult result, Compilation output, string? expectedId)
    {
        Assert.Null(result.Exception);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Good.Bystander.FibQuant.g.cs");
        if (expectedId is null)
        {
            Assert.Empty(result.Diagnostics);
            Assert.Equal(2, result.GeneratedSources.Length);
            Assert.Empty(GeneratorHarness.Errors(output));
        }
        else
        {
            Diagnostic diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(expectedId, diagnostic.Id);
            Assert.Single(result.GeneratedSources);
        }
    }
}
