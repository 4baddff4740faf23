using System.CommandLine;
using FibQuant.Cli.Commands;
using Spectre.Console;

// Redirected output (CI logs, files) has no terminal width; Spectre would assume 80 columns and split numbers across lines.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = ConsoleLayout.RedirectedWidth;

var root = new RootCommand("fibquant — FibQuant vector quantization for transformer KV caches");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(DesignCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Console.Error.WriteLine("fibquant: " + e.Message);
    return 2;
}
