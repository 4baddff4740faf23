using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FibQuant.Llama;
using FibQuant.Llama.Evaluation;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>
/// <c>fibquant eval</c>: the memory–fidelity sweep on the bundled llama2.c model and synthetic heads — perplexity,
/// attention cosine against fp32 and compression for fp16, TurboQuant and FibQuant caches; writes a console table,
/// <c>results.csv</c>, <c>RESULTS.md</c> and SVG frontier plots into the output folder.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "llama2.c checkpoint (default: stories260K.bin in the data folder)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "llama2.c tokenizer (default: tok512.bin in the data folder)" };
        var text = new Option<string?>("--text") { Description = "Evaluation text (default: tinystories-head.txt in the data folder)" };
        var output = new Option<string>("--output", "-o") { Description = "Output folder", DefaultValueFactory = _ => "eval-results" };
        var quick = new Option<bool>("--quick") { Description = "Small sweep for CI: a few configurations, 2 windows, small synthetic heads" };
        var wholeFile = new Option<bool>("--whole-file") { Description = "Also measure every configuration's perplexity on the whole text (slow)" };
        var command = new Command("eval", "Memory–fidelity sweep: perplexity, attention cosine and compression of fp16 / TurboQuant / FibQuant KV caches")
        {
            model, tokenizer, text, output, quick, wholeFile,
        };
        command.SetAction(result => Run(result.GetValue(model), result.GetValue(tokenizer), result.GetValue(text), result.GetValue(output)!,
            result.GetValue(quick), result.GetValue(wholeFile)));
        return command;
    }

    private static int Run(string? modelPath, string? tokenizerPath, string? textPath, string output, bool quick, bool wholeFile)
    {
        try
        {
            return RunSweep(modelPath, tokenizerPath, textPath, output, quick, wholeFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    private static int RunSweep(string? modelPath, string? tokenizerPath, string? textPath, string output, bool quick, bool wholeFile)
    {
        modelPath ??= LlamaDataPaths.Resolve(LlamaDataPaths.Stories260K);
        tokenizerPath ??= LlamaDataPaths.Resolve(LlamaDataPaths.Tokenizer512);
        textPath ??= LlamaDataPaths.Resolve(PerplexityProtocol.TextFile);
        foreach (string path in new[] { modelPath, tokenizerPath, textPath })
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"File not found: {Path.GetFullPath(path)}", path);
        }

        LlamaModel llama = LlamaModel.Load(modelPath);
        LlamaTokenizer tok = LlamaTokenizer.Load(tokenizerPath, llama.Config.VocabularySize);
        var options = quick
            ? new SweepOptions { Quick = true, WholeFile = wholeFile, SyntheticTokens = 256, SyntheticQueries = 16 }
            : new SweepOptions { WholeFile = wholeFile };
        AnsiConsole.MarkupLine($"[bold]fibquant eval[/]: {Markup.Escape(llama.Config.ToString())}, text {Markup.Escape(textPath)}{(quick ? " (quick)" : "")}");

        var stopwatch = Stopwatch.StartNew();
        SweepResult result = null!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("sweep");
                result = SweepRunner.Run(llama, tok, textPath, options, new CodecLibrary(), new SweepProgressSink(task));
                task.Value = task.MaxValue;
            });
        stopwatch.Stop();

        WriteConsoleTables(result);
        Directory.CreateDirectory(output);
        ResultsCsvWriter.Write(Path.Combine(output, "results.csv"), result.Rows);
        List<string> plots = FrontierPlots.WriteAll(result, output);
        string commandLine = "dotnet run --project src/FibQuant.Cli -c Release -- eval" + (quick ? " --quick" : "") + (wholeFile ? " --whole-file" : "")
                             + (output == "eval-results" ? "" : " --output " + output);
        File.WriteAllText(Path.Combine(output, "RESULTS.md"), ResultsReport.Format(result, commandLine, plots, stopwatch.Elapsed));
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"fp32 perplexity [bold]{result.Float32Perplexity:0.000000}[/] over {result.PredictedTokens:N0} tokens in {result.Windows} windows; {stopwatch.Elapsed.TotalSeconds:0} s"));
        AnsiConsole.MarkupLine($"Wrote results.csv, RESULTS.md and {plots.Count} SVG plots to {Markup.Escape(Path.GetFullPath(output))}");
        return 0;
    }

    private static void WriteConsoleTables(SweepResult result)
    {
        foreach (string source in result.Rows.Select(r => r.Source).Distinct())
        {
            List<SweepRow> rows = result.Rows.Where(r => r.Source == source).ToList();
            bool model = rows.Any(r => !double.IsNaN(r.Perplexity));
            bool whole = rows.Any(r => !double.IsNaN(r.WholeFilePerplexity));
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{source} (d = {rows[0].HeadDimension})"))
                .AddColumns("configuration", "b", "CR fmt", "CR mem", "cosine", model ? "worst head" : "worst query");
            if (model) table.AddColumns("ppl", "Δ ppl");
            if (whole) table.AddColumn("whole-file ppl");
            foreach (SweepRow r in rows)
            {
                var cells = new List<string>
                {
                    Markup.Escape(r.Configuration), F(r.BitsPerCoordinate, "0.###"), F(r.NominalCompression, "0.00") + "×", F(r.MeasuredCompression, "0.00") + "×",
                    F(r.AttentionCosine, "0.00000"), F(r.WorstCosine, "0.00000"),
                };
                if (model) cells.AddRange(new[] { F(r.Perplexity, "0.0000"), F(r.PerplexityIncrease, "+0.0000;-0.0000;0.0000") });
                if (whole) cells.Add(F(r.WholeFilePerplexity, "0.0000"));
                table.AddRow(cells.ToArray());
            }

            AnsiConsole.Write(table);
        }
    }

    private static string F(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Synchronous progress sink: the sweep reports from its own thread.</summary>
    private sealed class SweepProgressSink(ProgressTask task) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value)
        {
            task.MaxValue = value.Total;
            task.Value = value.Completed;
            task.Description = Markup.Escape(value.Step);
        }
    }
}
