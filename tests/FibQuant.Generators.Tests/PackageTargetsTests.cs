using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>
/// The package's build targets (src/FibQuant/build/FibQuant.targets, packed under build/ and buildTransitive/) turn a
/// consuming project's codebooks/*.json into AdditionalFiles. Evaluated by MSBuild in a scratch project, as NuGet imports it.
/// </summary>
public sealed class PackageTargetsTests
{
    [Fact]
    public void Spec_files_in_codebooks_become_additional_files_by_default()
    {
        string[] files = AdditionalFiles(listedByProject: false, optOut: false);
        Assert.Equal(new[] { "A.json", "B.json" }, files.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Files_the_project_already_lists_are_not_added_twice()
    {
        string[] files = AdditionalFiles(listedByProject: true, optOut: false);
        Assert.Equal(2, files.Length);
    }

    [Fact]
    public void The_opt_out_property_turns_it_off()
    {
        Assert.Empty(AdditionalFiles(listedByProject: false, optOut: true));
    }

    [Fact]
    public void The_package_carries_the_targets_for_direct_and_transitive_references()
    {
        string project = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "FibQuant", "FibQuant.csproj"));
        Assert.Contains("PackagePath=\"build\\FibQuant.targets;buildTransitive\\FibQuant.targets\"", project);
    }

    private static string[] AdditionalFiles(bool listedByProject, bool optOut)
    {
        string folder = Path.Combine(Path.GetTempPath(), "fibquant-targets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "codebooks"));
        try
        {
            File.WriteAllText(Path.Combine(folder, "codebooks", "A.json"), "{}");
            File.WriteAllText(Path.Combine(folder, "codebooks", "B.json"), "{}");
            File.WriteAllText(Path.Combine(folder, "other.json"), "{}");
            string targets = Path.Combine(RepositoryRoot(), "src", "FibQuant", "build", "FibQuant.targets");
            // NuGet imports a package's build targets after the project's own items, as here.
            string project = "<Project>\n"
                + (optOut ? "  <PropertyGroup><FibQuantCodebooksAsAdditionalFiles>false</FibQuantCodebooksAsAdditionalFiles></PropertyGroup>\n" : "")
                + (listedByProject ? "  <ItemGroup><AdditionalFiles Include=\"codebooks/*.json\" /></ItemGroup>\n" : "")
                + $"  <Import Project=\"{targets}\" />\n</Project>\n";
            string path = Path.Combine(folder, "Consumer.proj");
            File.WriteAllText(path, project);

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in new[] { "msbuild", path, "-getItem:AdditionalFiles", "-nologo" }) start.ArgumentList.Add(arg);
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
            using JsonDocument json = JsonDocument.Parse(output);
            return json.RootElement.GetProperty("Items").TryGetProperty("AdditionalFiles", out JsonElement items)
                ? items.EnumerateArray().Select(i => i.GetProperty("FullPath").GetString()!).ToArray()
                : Array.Empty<string>();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepositoryRoot([CallerFilePath] string caller = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "..", ".."));
}
