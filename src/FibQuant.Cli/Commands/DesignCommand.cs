using System.CommandLine;
using FibQuant.Coding;
using FibQuant.Design;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>Designs a codebook and writes a spec file with its precomputed table, for designs too large for the compiler.</summary>
internal static class DesignCommand
{
    public static Command Create()
    {
        var spec = new SpecOptions();
        var output = new Option<FileInfo>("--output", "-o") { Description = "Spec file to write (e.g. codebooks/Kv128K4.json)", Required = true };
        var className = new Option<string>("--class-name") { Description = "Generated static partial class name", DefaultValueFactory = _ => "Codebook" };
        var ns = new Option<string?>("--namespace") { Description = "Namespace of the generated class" };
        var norm = new Option<NormFormat>("--norm") { Description = "Norm header of the generated codec: Half or Single", DefaultValueFactory = _ => NormFormat.Half };
        var command = new Command("design", "Design a codebook and write a spec file with its table");
        spec.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(className);
        command.Options.Add(ns);
        command.Options.Add(norm);
        command.SetAction(result =>
        {
            CodebookSpec codebookSpec = spec.Read(result);
            Codebook codebook = DesignRunner.DesignAll(new[] { (codebookSpec.ToString(), codebookSpec) })[0];
            FileInfo path = result.GetValue(output)!;
            path.Directory?.Create();
            File.WriteAllText(path.FullName, CodebookSpecFile.Write(codebook, result.GetValue(className)!, result.GetValue(ns), result.GetValue(norm)));
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(path.FullName)}[/]: L × M_a = {codebook.Shells} × {codebook.DirectionsPerShell}, " +
                                   $"training distortion {codebook.TrainingDistortion:0.000000}, fingerprint 0x{codebook.Fingerprint:X16}");
            return 0;
        });
        return command;
    }
}
