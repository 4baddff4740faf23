using FibQuant.Design;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>Runs codebook designs under a Spectre progress bar (one task per spec).</summary>
internal static class DesignRunner
{
    public static Codebook[] DesignAll(IReadOnlyList<(string Label, CodebookSpec Spec)> specs)
    {
        var results = new Codebook[specs.Count];
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = new ProgressTask[specs.Count];
                for (int i = 0; i < specs.Count; i++) tasks[i] = context.AddTask(Markup.Escape(specs[i].Label), autoStart: false);
                for (int i = 0; i < specs.Count; i++)
                {
                    ProgressTask task = tasks[i];
                    task.StartTask();
                    results[i] = CodebookDesigner.Design(specs[i].Spec, new Progress(task));
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
