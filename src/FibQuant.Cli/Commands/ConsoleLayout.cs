namespace FibQuant.Cli.Commands;

/// <summary>How wide tables are drawn when standard output is not a terminal.</summary>
internal static class ConsoleLayout
{
    /// <summary>Wide enough that no table of the CLI wraps: every row stays on one line for logs and diff tools.</summary>
    public const int RedirectedWidth = 400;
}
