using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FibQuant.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release -- --filter *Encode*</c> (every BenchmarkDotNet option works), or
/// <c>--smoke</c>: a tiny in-process dry run of every benchmark class, exit code 1 when any case fails.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line; returns non-zero when a benchmark failed.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--smoke") return Smoke();
        IConfig config = DefaultConfig.Instance.AddFilter(new CaseFilter());
        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();
        return Failed(summaries) ? 1 : 0;
    }

    private static int Smoke()
    {
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).AddFilter(new CaseFilter())
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var filter = new SmokeFilter();
        Summary[] summaries = BenchmarkRunner.Run(
            [typeof(EncodeBenchmarks), typeof(DecodeBenchmarks), typeof(GeneratedCodecBenchmarks), typeof(RotationBenchmarks), typeof(EncodeStageBenchmarks)],
            config.AddFilter(filter));
        bool failed = Failed(summaries) || summaries.Sum(s => s.Reports.Length) == 0;
        Console.WriteLine(failed ? "SMOKE FAILED" : $"SMOKE OK ({summaries.Sum(s => s.Reports.Length)} cases)");
        return failed ? 1 : 0;
    }

    private static bool Failed(Summary[] summaries) =>
        summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
}
