extern alias gen;

using System.Collections.Generic;
using System.Linq;
using FibQuant.Generators.Tests.Infrastructure;
using gen::FibQuant.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>Runs alone: the design counter is process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialDesigns
{
    public const string Name = "Serial designs";
}

/// <summary>An unrelated edit must leave every tracked step cached and must not run a design again.</summary>
[Collection(SerialDesigns.Name)]
public sealed class IncrementalityTests
{
    private const string Declaration = """
        using FibQuant.Generation;
        namespace Inc;
        [FibQuantCodebook(16, 2, 8, Seed = 1, TrainingSamples = 1024, Restarts = 2)]
        public static partial class Small;
        """;

    [Fact]
    public void Unrelated_edit_keeps_all_steps_cached_and_designs_nothing()
    {
        var spec = new FibQuant.Design.CodebookSpec(8, 4, 16, seed: 2, trainingSamples: 512, restarts: 1);
        string file = FibQuant.Design.CodebookSpecFile.Write(FibQuant.Design.CodebookDesigner.Design(spec), "Filed", "Inc");
        CSharpCompilation first = GeneratorHarness.Compilation(Declaration, "namespace Inc; public class Other { public int A => 1; }");
        GeneratorDriver driver = GeneratorHarness.Driver(new[] { new InMemoryText("/r/codebooks/filed.json", file) }, track: true);
        driver = driver.RunGenerators(first);
        GeneratorRunResult initial = driver.GetRunResult().Results.Single();
        Assert.Empty(initial.Diagnostics);
        Assert.Equal(2, initial.GeneratedSources.Length);
        int designsBefore = CodebookBuilder.DesignRuns;

        SyntaxTree otherTree = first.SyntaxTrees.Last();
        SyntaxTree edited = otherTree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            "namespace Inc; public class Other { public int A => 2; public int B => 3; }"));
        driver = driver.RunGenerators(first.ReplaceSyntaxTree(otherTree, edited));
        GeneratorRunResult second = driver.GetRunResult().Results.Single();

        Assert.Equal(designsBefore, CodebookBuilder.DesignRuns);
        string[] steps =
        {
            FibQuantCodebookGenerator.Steps.Declarations, FibQuantCodebookGenerator.Steps.SpecFiles,
            FibQuantCodebookGenerator.Steps.Designs, FibQuantCodebookGenerator.Steps.Duplicates,
        };
        foreach (string step in steps)
        {
            Assert.True(second.TrackedSteps.TryGetValue(step, out var runs), $"step {step} was not tracked");
            IEnumerable<IncrementalStepRunReason> reasons = runs.SelectMany(r => r.Outputs).Select(o => o.Reason);
            Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {step} output was {reason}"));
        }

        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output was {output.Reason}"));
    }

    [Fact]
    public void Editing_the_attribute_designs_again()
    {
        CSharpCompilation first = GeneratorHarness.Compilation(Declaration);
        GeneratorDriver driver = GeneratorHarness.Driver(track: true).RunGenerators(first);
        int before = CodebookBuilder.DesignRuns;
        SyntaxTree tree = first.SyntaxTrees.Single();
        driver = driver.RunGenerators(first.ReplaceSyntaxTree(tree, tree.WithChangedText(
            Microsoft.CodeAnalysis.Text.SourceText.From(Declaration.Replace("Seed = 1", "Seed = 4")))));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.True(CodebookBuilder.DesignRuns > before);
        Assert.Contains(result.TrackedSteps[FibQuantCodebookGenerator.Steps.Designs].SelectMany(r => r.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Moving_the_declaration_reuses_the_design()
    {
        CSharpCompilation first = GeneratorHarness.Compilation(Declaration);
        GeneratorDriver driver = GeneratorHarness.Driver(track: true).RunGenerators(first);
        string before = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();
        int designs = CodebookBuilder.DesignRuns;
        SyntaxTree tree = first.SyntaxTrees.Single();
        driver = driver.RunGenerators(first.ReplaceSyntaxTree(tree, tree.WithChangedText(
            Microsoft.CodeAnalysis.Text.SourceText.From("// a comment that moves the declaration\n\n" + Declaration))));
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Equal(designs, CodebookBuilder.DesignRuns);
        Assert.Equal(before, result.GeneratedSources.Single().SourceText.ToString());
    }
}
