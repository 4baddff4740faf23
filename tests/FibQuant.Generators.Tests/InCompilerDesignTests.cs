extern alias gen;

using System.Linq;
using System.Threading;
using FibQuant.Design;
using FibQuant.Generators.Tests.Infrastructure;
using gen::FibQuant.Generators;
using gen::FibQuant.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>
/// The compile-time budget: the paper's strongest codebooks design from an attribute, bit-identical to the runtime
/// designer, and a precomputed spec file is charged only the work the compiler does for it (its rotation).
/// </summary>
[Collection(SerialDesigns.Name)]
public sealed class InCompilerDesignTests
{
    [Theory]
    [InlineData(128, 4, 256)]
    [InlineData(128, 8, 256)]
    [InlineData(256, 8, 256)]
    [InlineData(256, 1, 256)]
    public void Every_default_design_up_to_N256_k8_d256_fits_the_budget(int d, int k, int n)
    {
        var spec = new gen::FibQuant.Design.CodebookSpec(d, k, n);
        Assert.True(CodebookBuilder.Cost(spec, precomputed: false) <= CodebookBuilder.Budget, $"({d},{k},{n}) is over the budget");
    }

    [Theory]
    [InlineData(128, 4, 512)]
    [InlineData(64, 2, 1024)]
    public void Larger_codebooks_still_go_to_spec_files(int d, int k, int n)
    {
        var spec = new gen::FibQuant.Design.CodebookSpec(d, k, n);
        Assert.True(CodebookBuilder.Cost(spec, precomputed: false) > CodebookBuilder.Budget, $"({d},{k},{n}) fits the budget");
    }

    [Fact]
    public void Over_budget_message_gives_the_installed_command_for_this_spec()
    {
        var (result, _) = GeneratorHarness.Run("using FibQuant.Generation;\nnamespace Big;\n" +
            "[FibQuantCodebook(128, 4, 512, Seed = 3)] static partial class Kv512;");
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("FQ0008", diagnostic.Id);
        string message = diagnostic.GetMessage();
        Assert.Contains("fibquant design -d 128 -k 4 -n 512 --seed 3 --namespace Big --class-name Kv512 -o codebooks/Kv512.json", message);
        Assert.Contains("dotnet tool install --global FibQuant.Cli", message);
    }

    [Fact]
    public void Precomputed_haar_spec_file_is_charged_only_its_rotation()
    {
        // d = 512 Haar used to cost 2·d³ ≈ 2.7·10⁸ "design units" and hit FQ0008 although the compiler designs nothing.
        Codebook codebook = CodebookDesigner.Design(new CodebookSpec(512, 2, 4, seed: 5, trainingSamples: 2048, restarts: 2));
        string file = CodebookSpecFile.Write(codebook, "Wide", "Spec.Files");
        var (result, output) = GeneratorHarness.Run("class X { }", ("/r/codebooks/Wide.json", file));
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.GeneratedSources);
        Assert.Empty(GeneratorHarness.Errors(output));

        var wider = new gen::FibQuant.Design.CodebookSpec(2048, 2, 4);
        Assert.True(CodebookBuilder.Cost(wider, precomputed: true) <= CodebookBuilder.Budget, "a d = 2048 Haar rotation takes seconds, not minutes");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Paper_2bit_point_designs_from_an_attribute_with_the_runtime_fingerprint()
    {
        // (d, k, N) = (128, 4, 256), no spec file: designed inside the generator, serially, as the compiler does.
        const string source = "using FibQuant.Generation;\nnamespace Paper;\n[FibQuantCodebook(128, 4, 256)] public static partial class Kv128K4;";
        GeneratorDriver driver = GeneratorHarness.Driver(track: true)
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(source), out Compilation output, out _, CancellationToken.None);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        DesignOutcome outcome = result.TrackedSteps[FibQuantCodebookGenerator.Steps.Designs].SelectMany(r => r.Outputs)
            .Select(o => (DesignOutcome)o.Value).Single();
        Assert.NotNull(outcome.Codebook);

        Codebook runtime = CodebookDesigner.Design(new CodebookSpec(128, 4, 256), parallel: true);
        Assert.Equal($"0x{runtime.Fingerprint:X16}", $"0x{outcome.Codebook!.Fingerprint:X16}");
        Assert.Equal(runtime.Table.ToArray(), outcome.Codebook.Table.AsSpan().ToArray());
    }
}
