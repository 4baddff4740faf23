using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FibQuant.Llama;
using FibQuant.Llama.Evaluation;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>
/// <c>fibquant eval</c>: the memory–fidelity sweep on the llama2.c models (stories260K, hd64) and synthetic heads — perplexity,
/// KL divergence, top-1 agreement, attention cosine and top-10 recall against fp32, and compression for fp16, q8_0 / q4_0,
/// TurboQuant, FibQuant, deployment configurations and rate allocations; writes a console table,
/// <c>results.csv</c>, <c>RESULTS.md</c> and SVG frontier plots into the output folder.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string[]>("--model") { Description = "llama2.c checkpoint(s) (default: stories260K.bin and hd64.bin in the data folder)", AllowMultipleArgumentsPerToken = true };
        var budget = new Option<double[]>("--budget") { Description = "Rate-allocation budgets in bits per cached coordinate (default 1 1.5 2 3; multiples of 0.25)", AllowMultipleArgumentsPerToken = true };
        var calibration = new Option<string?>("--calibration") { Description = "Calibration text of the allocation (default: tinyshakespeare.txt in the data folder)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "llama2.c tokenizer (default: tok512.bin in the data folder)" };
        var text = new Option<string?>("--text") { Description = "Evaluation text (default: tinystories-head.txt in the data folder)" };
        var output = new Option<string>("--output", "-o") { Description = "Output folder", DefaultValueFactory = _ => "eval-results" };
        var quick = new Option<bool>("--quick") { Description = "Small sweep for CI: a few configurations, 2 windows, small synthetic heads" };
        var wholeFile = new Option<bool>("--whole-file") { Description = "Also measure every configuration's perplexity on the whole text (slow)" };
        var command = new Command("eval", "Memory–fidelity sweep: perplexity, attention cosine and compression of fp16 / TurboQuant / FibQuant KV caches")
        {
            model, tokenizer, text, output, quick, wholeFile, budget, calibration,
        };
        command.SetAction(result => Run(result.GetValue(model) ?? Array.Empty<string>(), result.GetValue(tokenizer), result.GetValue(text), result.GetValue(output)!,
            result.GetValue(quick), result.GetValue(wholeFile), result.GetValue(budget) ?? Array.Empty<double>(), result.GetValue(calibration)));
        return command;
    }

    private static int Run(string[] modelPaths, string? tokenizerPath, string? textPath, string output, bool quick, bool wholeFile, double[] budgets, string? calibrationPath)
    {
        try
        {
            return RunSweep(modelPaths, tokenizerPath, textPath, output, quick, wholeFile, budgets, calibrationPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentOutOfRangeException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    private static int RunSweep(string[] modelPaths, string? tokenizerPath, string? textPath, string output, bool quick, bool wholeFile, double[] budgets, string? calibrationPath)
    {
        if (modelPaths.Length == 0) modelPaths = new[] { LlamaDataPaths.Resolve(LlamaDataPaths.Stories260K), LlamaDataPaths.Resolve(LlamaDataPaths.Hd64) };
        tokenizerPath ??= LlamaDataPaths.Resolve(LlamaDataPaths.Tokenizer512);
        textPath ??= LlamaDataPaths.Resolve(PerplexityProtocol.TextFile);
        calibrationPath ??= LlamaDataPaths.Resolve("tinyshakespeare.txt");
        foreach (string path in modelPaths.Append(tokenizerPath).Append(textPath).Append(calibrationPath))
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"File not found: {Path.GetFullPath(path)}", path);
        }

        var models = new List<(string Name, LlamaModel Model)>();
        foreach (string path in modelPaths) models.Add((Path.GetFileNameWithoutExtension(path), LlamaModel.Load(path)));
        LlamaTokenizer tok = LlamaTokenizer.Load(tokenizerPath, models[0].Model.Config.VocabularySize);
        var options = quick
            ? new SweepOptions { Quick = true, WholeFile = wholeFile, SyntheticTokens = 256, SyntheticQueries = 16 }
            : new SweepOptions { WholeFile = wholeFile, CalibrationTextPath = calibrationPath };
        if (budgets.Length > 0) options = options with { Budgets = budgets };
        foreach ((string name, LlamaModel m) in models)
            AnsiConsole.MarkupLine($"[bold]fibquant eval[/] {Markup.Escape(name)}: {Markup.Escape(m.Config.ToString())}");
        AnsiConsole.MarkupLine($"text {Markup.Escape(textPath)}{(quick ? " (quick)" : "")}");

        var stopwatch = Stopwatch.StartNew();
        SweepResult result = null!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("sweep");
                result = SweepRunner.Run(models, tok, textPath, options, new CodecLibrary(), new SweepProgressSink(task));
                task.Value = task.MaxValue;
            });
        stopwatch.Stop();

        WriteConsoleTables(result);
        Directory.CreateDirectory(output);
        ResultsCsvWriter.Write(Path.Combine(output, "results.csv"), result.Rows);
        List<string> plots = FrontierPlots.WriteAll(result, output);
        string commandLine = "dotnet run --project src/FibQuant.Cli -c Release -- eval" + (quick ? " --quick" : "") + (wholeFile ? " --whole-file" : "")
                             + (budgets.Length > 0 ? " --budget " + string.Join(' ', budgets.Select(b => b.ToString(CultureInfo.InvariantCulture))) : "")
                             + (output == "eval-results" ? "" : " --output " + output);
        File.WriteAllText(Path.Combine(output, "RESULTS.md"), ResultsReport.Format(result, commandLine, plots, stopwatch.Elapsed));
        foreach (ModelSummary m in result.Models)
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Name}: fp32 perplexity [bold]{m.Float32Perplexity:0.000000}[/] over {result.PredictedTokens:N0} tokens in {result.Windows} windows"));
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{stopwatch.Elapsed.TotalSeconds:0} s"));
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
                .AddColumns("configuration", "b", "bits", "CR", "cosine", model ? "worst head" : "worst query");
            if (model) table.AddColumns("top-10", "KL mean", "KL p99", "top-1", "ppl", "Δ ppl");
            if (whole) table.AddColumn("whole-file ppl");
            foreach (SweepRow r in rows)
            {
                var cells = new List<string>
                {
                    Markup.Escape(r.Configuration), F(r.BitsPerCoordinate, "0.###"), F(r.StoredBits, "0.###"), F(r.NominalCompression, "0.00") + "×",
                    F(r.AttentionCosine, "0.00000"), F(r.WorstCosine, "0.00000"),
                };
                if (model)
                {
                    cells.AddRange(new[] { F(r.Top10Recall, "0.000"), F(r.KlMean, "0.00000"), F(r.KlP99, "0.0000"), F(r.Top1Agreement, "0.000"),
                        F(r.Perplexity, "0.0000"), F(r.PerplexityIncrease, "+0.0000;-0.0000;0.0000") });
                }
                if (whole) cells.Add(F(r.WholeFilePerplexity, "0.0000"));
                table.AddRow(cells.ToArray());
            }

            AnsiConsole.Write(table);
        }
    }

    private static string F(double value, string format) => double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Synchronous progress sink: the sweep reports from its worker threads, one report at a time here.</summary>
    private sealed class SweepProgressSink(ProgressTask task) : IProgress<SweepProgress>
    {
        private readonly Lock _gate = new();

        public void Report(SweepProgress value)
        {
            lock (_gate)
            {
                task.MaxValue = value.Total;
                task.Value = value.Completed;
                task.Description = Markup.Escape(value.Step);
            }
        }
    }
}
