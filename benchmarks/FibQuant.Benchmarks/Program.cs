using BenchmarkDotNet.Running;

namespace FibQuant.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter *Attention*</c> (every BenchmarkDotNet option works).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
