using System.IO;
using Xunit;

namespace FibQuant.Cli.Tests;

/// <summary>
/// A user's mistake gets one line on stderr that names the option as typed and what it accepts, and exit code 2 — never
/// a stack trace, and never after minutes of design work.
/// </summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("-k", "inspect", "-d", "128", "-k", "3")]
    [InlineData("-n", "inspect", "-n", "0")]
    [InlineData("-n", "inspect", "-n", "100")]
    [InlineData("--rotation", "inspect", "-d", "60", "--rotation", "Hadamard")]
    [InlineData("--restarts", "inspect", "--restarts", "0")]
    [InlineData("--samples", "inspect", "--samples", "3")]
    [InlineData("--vectors", "inspect", "--vectors", "0")]
    [InlineData("-d", "demo", "-d", "1")]
    [InlineData("--vectors", "demo", "--vectors", "0")]
    [InlineData("--rotation", "demo", "-d", "48", "--rotation", "Hadamard")]
    [InlineData("-k", "design", "-d", "64", "-k", "64", "-o", "unused.json")]
    public void Out_of_range_option_names_the_option_and_exits_2(string option, params string[] args)
    {
        CliProcess.Result result = CliProcess.Run(args);
        AssertUsageError(result, option);
    }

    [Fact]
    public void Missing_spec_file_names_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "fibquant-missing-" + System.Guid.NewGuid().ToString("N") + ".json");
        CliProcess.Result result = CliProcess.Run("inspect", "--spec-file", path);
        AssertUsageError(result, "--spec-file");
        Assert.Contains(path, result.Error);
    }

    [Theory]
    [InlineData("{ \"className\": \"A\", \"dimension\": 16,, }", "(1,")]
    [InlineData("{ \"className\": \"A\", \"dimension\": 16, \"blockSize\": 5, \"codewords\": 8 }", "blockSize")]
    [InlineData("{ \"className\": \"A\", \"dimension\": 8, \"blockSize\": 2, \"codewords\": 4, \"shells\": 2, \"directionsPerShell\": 2, \"radii\": [0.5, 0.7], " +
                "\"table\": [0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4], \"fingerprint\": \"0x0000000000000001\" }", "ingerprint")]
    public void Malformed_or_mismatched_spec_file_is_one_line(string text, string mention)
    {
        string path = Path.Combine(Path.GetTempPath(), "fibquant-bad-" + System.Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, text);
        try
        {
            CliProcess.Result result = CliProcess.Run("inspect", "--spec-file", path);
            AssertUsageError(result, "--spec-file");
            Assert.Contains(mention, result.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Demo_says_why_rows_are_missing_for_an_odd_dimension()
    {
        CliProcess.Result result = CliProcess.Run("demo", "-d", "7", "--vectors", "200");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("k = 2, 4, 8 skipped", result.Output);
        Assert.Contains("must divide d = 7", result.Output);
    }

    private static void AssertUsageError(CliProcess.Result result, string option)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}; stderr: {result.Error}; stdout: {result.Output}");
        string line = Assert.Single(result.Error.Split('\n', System.StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("fibquant: ", line);
        Assert.Contains(option, line);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
        // Nothing was designed first: the progress display never started.
        Assert.DoesNotContain("%", result.Output);
    }
}
