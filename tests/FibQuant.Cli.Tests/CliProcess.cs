using System.Diagnostics;
using System.IO;

namespace FibQuant.Cli.Tests;

/// <summary>Runs the built <c>fibquant</c> CLI as a child process with redirected output, as CI and scripts do.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    private static string CliAssembly
    {
        get
        {
            string path = Path.Combine(System.AppContext.BaseDirectory, "FibQuant.Cli.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("The CLI is built beside the tests (project reference); not found.", path);
            return path;
        }
    }

    public static Result Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new System.TimeoutException("fibquant " + string.Join(' ', args) + " did not finish in 120 s.");
        }

        return new Result(process.ExitCode, output, error.Result);
    }
}
