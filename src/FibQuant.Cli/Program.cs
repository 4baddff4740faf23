using System.CommandLine;
using FibQuant.Cli.Commands;

var root = new RootCommand("fibquant — FibQuant vector quantization for transformer KV caches");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(DesignCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
return root.Parse(args).Invoke();
