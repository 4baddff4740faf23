using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace FibQuant.Cli.Tests;

/// <summary>What the CLI prints when its output goes to a file or a CI log rather than a terminal.</summary>
public sealed class OutputTests
{
    [Fact]
    public void Redirected_tables_keep_every_row_on_one_line()
    {
        CliProcess.Result result = CliProcess.Run("inspect", "-d", "128", "-k", "2", "-n", "16", "--samples", "4096", "--restarts", "1", "--vectors", "200");
        Assert.True(result.ExitCode == 0, result.Error);
        string[] lines = result.Output.Split('\n');
        // At 80 columns the summary's long rows wrap and the fingerprint's 16 hex digits are split across lines.
        Assert.Contains(lines, l => Regex.IsMatch(l, "fingerprint\\s*│\\s*0x[0-9A-F]{16}\\s*│"));
        Assert.Contains(lines, l => l.Contains("two-stage (default)", System.StringComparison.Ordinal) && Regex.IsMatch(l, "[0-9]\\.[0-9]{4}\\s*│\\s*$"));
        Assert.True(lines.Max(l => l.Length) > 80, "the tables were squeezed to 80 columns");
    }

    [Fact]
    public void Every_command_has_the_same_default_seed()
    {
        string[] defaults = new[] { "demo", "inspect", "design" }
            .Select(command => CliProcess.Run(command, "--help").Output.Split('\n').Single(l => l.Contains("--seed", System.StringComparison.Ordinal)))
            .Select(line => Regex.Match(line, "\\[default: ([0-9]+)\\]").Groups[1].Value)
            .ToArray();
        Assert.All(defaults, d => Assert.Equal("1", d));
    }
}
