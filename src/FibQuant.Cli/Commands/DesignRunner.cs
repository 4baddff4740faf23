using System.Diagnostics;
using FibQuant.Design;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>Runs codebook designs under a Spectre progress bar (one task per spec), timing each.</summary>
internal static class DesignRunner
{
    /// <summary>A designed codebook with the wall-clock and process CPU time its design took.</summary>
    public readonly record struct Outcome(Codebook Codebook, TimeSpan Wall, TimeSpan Cpu);

    public static Codebook[] DesignAll(IReadOnlyList<(string Label, CodebookSpec Spec)> specs)
    {
        Outcome[] outcomes = DesignTimed(specs, parallel: true);
        var codebooks = new Codebook[outcomes.Length];
        for (int i = 0; i < outcomes.Length; i++) codebooks[i] = outcomes[i].Codebook;
        return codebooks;
    }

    /// <summary>Designs each spec; <paramref name="parallel"/> false runs the assignment step on one thread, as the compiler does.</summary>
    public static Outcome[] DesignTimed(IReadOnlyList<(string Label, CodebookSpec Spec)> specs, bool parallel)
    {
        var results = new Outcome[specs.Count];
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = new ProgressTask[specs.Count];
                for (int i = 0; i < specs.Count; i++) tasks[i] = context.AddTask(Markup.Escape(specs[i].Label), autoStart: false);
                using var process = Process.GetCurrentProcess();
                for (int i = 0; i < specs.Count; i++)
                {
                    ProgressTask task = tasks[i];
                    task.StartTask();
                    process.Refresh();
                    TimeSpan cpuBefore = process.TotalProcessorTime;
                    long start = Stopwatch.GetTimestamp();
                    Codebook codebook = CodebookDesigner.Design(specs[i].Spec, new Progress(task), parallel);
                    TimeSpan wall = Stopwatch.GetElapsedTime(start);
                    process.Refresh();
                    results[i] = new Outcome(codebook, wall, process.TotalProcessorTime - cpuBefore);
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
            });
        return results;
    }

    /// <summary>Synchronous progress sink: the designer reports from its own thread.</summary>
    private sealed class Progress(ProgressTask task) : IProgress<DesignProgress>
    {
        public void Report(DesignProgress value)
        {
            task.MaxValue = value.TotalRuns;
            task.Value = value.CompletedRuns;
        }
    }
}
