extern alias gen;

using System.Linq;
using FibQuant.Design;
using FibQuant.Generators.Tests.Infrastructure;
using gen::FibQuant.Generators;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>Each FQ diagnostic, triggered by a bad declaration, with its location.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using FibQuant.Generation; using FibQuant.Design; using FibQuant.Coding;\nnamespace Diag;\n";

    [Theory]
    [InlineData("FQ0001", "[FibQuantCodebook(16, 2, 8)] public partial class NotStatic { }", "NotStatic")]
    [InlineData("FQ0001", "[FibQuantCodebook(16, 2, 8)] public static class NotPartial { }", "NotPartial")]
    [InlineData("FQ0001", "public static partial class Outer { [FibQuantCodebook(16, 2, 8)] public static partial class Nested { } }", "Nested")]
    [InlineData("FQ0002", "[FibQuantCodebook(1, 1, 8)] static partial class C;", "1")]
    [InlineData("FQ0002", "[FibQuantCodebook(9000, 2, 8)] static partial class C;", "9000")]
    [InlineData("FQ0003", "[FibQuantCodebook(16, 3, 8)] static partial class C;", "3")]
    [InlineData("FQ0003", "[FibQuantCodebook(16, 16, 8)] static partial class C;", "16")]
    [InlineData("FQ0004", "[FibQuantCodebook(16, 2, 12)] static partial class C;", "12")]
    [InlineData("FQ0004", "[FibQuantCodebook(16, 2, 131072)] static partial class C;", "131072")]
    [InlineData("FQ0005", "[FibQuantCodebook(24, 2, 8, Rotation = RotationKind.Hadamard)] static partial class C;", "Rotation = RotationKind.Hadamard")]
    [InlineData("FQ0006", "[FibQuantCodebook(16, 2, 8, TrainingSamples = 4)] static partial class C;", "TrainingSamples = 4")]
    [InlineData("FQ0007", "[FibQuantCodebook(16, 2, 8, Restarts = 0)] static partial class C;", "Restarts = 0")]
    [InlineData("FQ0008", "[FibQuantCodebook(128, 4, 512)] static partial class C;", "FibQuantCodebook(128, 4, 512)")]
    [InlineData("FQ0013", "[FibQuantCodebook(16, 2, 8, NormFormat = (NormFormat)7)] static partial class C;", "NormFormat = (NormFormat)7")]
    public void Bad_attribute_reports_at_the_offending_syntax(string id, string declaration, string locatedText)
    {
        string source = Usings + declaration;
        var (result, _) = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(locatedText, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(result.GeneratedSources);
    }

    [Theory]
    [InlineData(64, 2, 16, true)]
    [InlineData(64, 1, 4, true)]
    [InlineData(128, 2, 16, true)]
    [InlineData(128, 4, 256, true)]
    [InlineData(128, 8, 256, true)]
    [InlineData(128, 4, 512, false)]
    public void Budget_admits_small_designs_and_sends_large_ones_to_spec_files(int d, int k, int n, bool inBudget)
    {
        // The generator's own (linked) CodebookSpec: the runtime's type is a different type to the compiler here.
        var spec = new gen::FibQuant.Design.CodebookSpec(d, k, n);
        Assert.Equal(inBudget, CodebookBuilder.Cost(spec, precomputed: false) <= CodebookBuilder.Budget);
        Assert.True(CodebookBuilder.Cost(spec, precomputed: true) <= CodebookBuilder.Budget, "checking a precomputed table must always fit");
    }

    [Fact]
    public void Budget_message_names_the_cli_command()
    {
        var (result, _) = GeneratorHarness.Run(Usings + "[FibQuantCodebook(128, 8, 512)] static partial class Big;");
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FQ0008", diagnostic.Id);
        Assert.Contains("fibquant design -d 128 -k 8 -n 512", diagnostic.GetMessage());
    }

    [Fact]
    public void Malformed_spec_file_reports_line_and_column()
    {
        var (result, _) = GeneratorHarness.Run("class X { }", ("/r/codebooks/bad.json", "{\n  \"className\": \"A\",\n  \"dimension\": 16,,\n}"));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FQ0009", diagnostic.Id);
        Assert.Equal("/r/codebooks/bad.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(2, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("line 3", diagnostic.GetMessage());
    }

    [Fact]
    public void Spec_file_with_invalid_fields_reports_the_spec_diagnostic()
    {
        var (result, _) = GeneratorHarness.Run("class X { }",
            ("/r/codebooks/odd.json", "{ \"className\": \"Odd\", \"dimension\": 16, \"blockSize\": 5, \"codewords\": 8 }"));
        Assert.Equal("FQ0003", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Spec_file_missing_part_of_the_precomputed_design_is_inconsistent()
    {
        var (result, _) = GeneratorHarness.Run("class X { }",
            ("/r/codebooks/part.json", "{ \"className\": \"Part\", \"dimension\": 16, \"blockSize\": 2, \"codewords\": 8, \"shells\": 2 }"));
        Assert.Equal("FQ0010", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Spec_file_with_wrong_table_length_is_inconsistent()
    {
        string file = Small("Short").Replace("\"table\": [\n", "\"table\": [\n    0.5,\n", System.StringComparison.Ordinal);
        var (result, _) = GeneratorHarness.Run("class X { }", ("/r/codebooks/short.json", file));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FQ0010", diagnostic.Id);
        Assert.Contains("table has", diagnostic.GetMessage());
    }

    [Fact]
    public void Edited_table_fails_the_fingerprint_check()
    {
        string file = Small("Edited");
        int table = file.IndexOf("\"table\": [\n    ", System.StringComparison.Ordinal) + "\"table\": [\n    ".Length;
        int comma = file.IndexOf(',', table);
        file = file.Substring(0, table) + "0.123" + file.Substring(comma);
        var (result, _) = GeneratorHarness.Run("class X { }", ("/r/codebooks/edited.json", file));
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FQ0011", diagnostic.Id);
        Assert.Contains("Fingerprint mismatch", diagnostic.GetMessage());
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Same_class_from_attribute_and_spec_file_is_a_duplicate()
    {
        string file = Small("Twice", "Diag");
        var (result, _) = GeneratorHarness.Run(Usings + "[FibQuantCodebook(8, 2, 4, Seed = 9, TrainingSamples = 512, Restarts = 2)] static partial class Twice;",
            ("/r/codebooks/twice.json", file));
        Assert.Equal(2, result.Diagnostics.Count(d => d.Id == "FQ0012"));
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Two_spec_files_for_one_class_are_duplicates()
    {
        var (result, _) = GeneratorHarness.Run("class X { }", ("/r/codebooks/a.json", Small("Same")), ("/r/codebooks/b.json", Small("Same")));
        Assert.All(result.Diagnostics, d => Assert.Equal("FQ0012", d.Id));
        Assert.Equal(2, result.Diagnostics.Length);
        Assert.Contains("a.json, b.json", result.Diagnostics[0].GetMessage());
    }

    [Fact]
    public void Every_descriptor_has_an_fq_id_a_title_and_a_message()
    {
        var descriptors = typeof(DiagnosticDescriptors).GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!).ToList();
        Assert.Equal(18, descriptors.Count);
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(descriptors, d =>
        {
            Assert.Matches("^FQ00[0-9]{2}$", d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat.ToString()));
        });
    }

    internal static string Small(string className, string? ns = "Diag")
    {
        var spec = new CodebookSpec(8, 2, 4, seed: 9, trainingSamples: 512, restarts: 2);
        return CodebookSpecFile.Write(CodebookDesigner.Design(spec), className, ns);
    }
}
