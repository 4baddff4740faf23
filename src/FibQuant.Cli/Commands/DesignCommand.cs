using System.CommandLine;
using FibQuant.Coding;
using FibQuant.Design;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>
/// Designs a codebook and, with --output, writes a spec file with its precomputed table (for designs too large for the
/// compiler); --timing reports how long the design took.
/// </summary>
internal static class DesignCommand
{
    public static Command Create()
    {
        var spec = new SpecOptions();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Spec file to write (e.g. codebooks/Kv128K4.json); without it the design is only summarised" };
        var className = new Option<string>("--class-name") { Description = "Generated static partial class name", DefaultValueFactory = _ => "Codebook" };
        var ns = new Option<string?>("--namespace") { Description = "Namespace of the generated class" };
        var norm = new Option<NormFormat>("--norm") { Description = "Norm header of the generated codec: Half or Single", DefaultValueFactory = _ => NormFormat.Half };
        var timing = new Option<bool>("--timing") { Description = "Design serially (one core, as the compiler does) and report wall-clock and CPU time" };
        var command = new Command("design", "Design a codebook and write a spec file with its table");
        spec.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(className);
        command.Options.Add(ns);
        command.Options.Add(norm);
        command.Options.Add(timing);
        command.SetAction(result =>
        {
            CodebookSpec codebookSpec = spec.Read(result);
            bool timed = result.GetValue(timing);
            DesignRunner.Outcome outcome = DesignRunner.DesignTimed(new[] { (codebookSpec.ToString(), codebookSpec) }, parallel: !timed)[0];
            Codebook codebook = outcome.Codebook;
            FileInfo? path = result.GetValue(output);
            if (path is not null)
            {
                path.Directory?.Create();
                File.WriteAllText(path.FullName, CodebookSpecFile.Write(codebook, result.GetValue(className)!, result.GetValue(ns), result.GetValue(norm)));
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(path.FullName)}[/]");
            }

            AnsiConsole.MarkupLine($"{Markup.Escape(codebookSpec.ToString())}: L × M_a = {codebook.Shells} × {codebook.DirectionsPerShell}, " +
                                   $"training distortion {codebook.TrainingDistortion:0.000000}, fingerprint 0x{codebook.Fingerprint:X16}");
            if (timed)
            {
                AnsiConsole.MarkupLine($"design time: {outcome.Wall.TotalSeconds:0.000} s wall, {outcome.Cpu.TotalSeconds:0.000} s CPU (serial, {Environment.ProcessorCount} cores visible)");
            }

            return 0;
        });
        return command;
    }
}
