using System.Collections.Generic;
using FibQuant.Design;
using FibQuant.Generators.Tests.Infrastructure;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>A corpus of broken attributes and spec files: the generator reports, it never throws.</summary>
public sealed class MalformedInputTests
{
    public static IEnumerable<object[]> SpecFiles()
    {
        string good = DiagnosticTests.Small("Good");
        string[] corpus =
        {
            "", " ", "{", "}", "[]", "null", "{}", "{\"className\"}", "{\"className\": }", "{\"className\": \"A\"", "{\"className\": \"A\",}",
            "{\"className\": 5}", "{\"className\": \"A\", \"className\": \"B\"}", "{\"className\": \"1A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4}",
            "{\"className\": \"A\", \"dimension\": 8.5, \"blockSize\": 2, \"codewords\": 4}", "{\"className\": \"A\", \"dimension\": 99999999999}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"seed\": -1}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"rotation\": \"Diagonal\"}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"table\": [1, 2,]}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"table\": [1e999]}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"table\": [\"x\"]}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"fingerprint\": \"0xZZ\"}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"nested\": {\"a\": 1}}",
            "{\"className\": \"A\\u00\", \"dimension\": 8}", "{\"className\": \"A\" /* comment */ }", "{\"a\": -}", "{\"a\": 01}",
            "{\"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"shells\": 2, \"directionsPerShell\": 3, \"radii\": [1, 2], \"table\": [], \"fingerprint\": \"0x0000000000000000\"}",
            good.Substring(0, good.Length / 2), good + "{", good.Replace("\"shells\": ", "\"shells\": -", System.StringComparison.Ordinal),
            good.Replace("\"codewords\": 4", "\"codewords\": 8", System.StringComparison.Ordinal),
            good.Replace("\"seed\": 9", "\"seed\": 10", System.StringComparison.Ordinal),
        };
        foreach (string text in corpus) yield return new object[] { text };
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void Bad_spec_file_becomes_a_diagnostic(string text)
    {
        SpecFileParseResult parsed = CodebookSpecFile.Parse(text);
        var (result, _) = GeneratorHarness.Run("class X { }", ("/r/codebooks/case.json", text));
        Assert.Null(result.Exception);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.StartsWith("FQ", d.Id));
        if (!parsed.Success)
        {
            Assert.True(parsed.Line >= 1 && parsed.Column >= 1, $"error position {parsed.Line}:{parsed.Column}");
            Assert.False(string.IsNullOrEmpty(parsed.Error));
        }
    }

    [Theory]
    [InlineData("[FibQuantCodebook] static partial class A;")]
    [InlineData("[FibQuantCodebook(16, 2)] static partial class A;")]
    [InlineData("[FibQuantCodebook(\"16\", 2, 8)] static partial class A;")]
    [InlineData("[FibQuantCodebook(16, 2, 8, Seed = -1)] static partial class A;")]
    [InlineData("[FibQuantCodebook(16, 2, 8, Unknown = 1)] static partial class A;")]
    [InlineData("[FibQuantCodebook(16, 2, 8)] static partial class A<T>;")]
    [InlineData("[FibQuantCodebook(16, 2, 8)] partial struct A;")]
    [InlineData("[FibQuantCodebook(16, 2, 8, Rotation = (RotationKind)9)] static partial class A;")]
    [InlineData("[FibQuantCodebook(-5, -1, -2, TrainingSamples = -3, Restarts = -4)] static partial class A;")]
    [InlineData("[FibQuantCodebook(16, 0, 8)] static partial class A;")]
    [InlineData("[FibQuantCodebook(int.MaxValue, 2, 8)] static partial class A;")]
    [InlineData("[FibQuantCodebook(16, 2, 8)] static partial class")]
    public void Bad_attribute_never_throws(string declaration)
    {
        var (result, _) = GeneratorHarness.Run("using FibQuant.Generation; using FibQuant.Design;\n" + declaration);
        Assert.Null(result.Exception);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void Spec_file_round_trips_every_float_bit()
    {
        var spec = new CodebookSpec(16, 4, 16, seed: 21, trainingSamples: 1024, restarts: 2);
        Codebook codebook = CodebookDesigner.Design(spec);
        SpecFileParseResult parsed = CodebookSpecFile.Parse(CodebookSpecFile.Write(codebook, "Round", "Trip"));
        Assert.True(parsed.Success, parsed.Error);
        Codebook back = parsed.File!.CreatePrecomputedCodebook(spec);
        Assert.Equal(codebook.Fingerprint, back.Fingerprint);
        Assert.Equal(codebook.Radii.ToArray(), back.Radii.ToArray());
        Assert.Equal("Round", parsed.File.ClassName);
        Assert.Equal("Trip", parsed.File.Namespace);
    }
}
