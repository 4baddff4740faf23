using System.Threading;
using BenchmarkDotNet.Attributes;
using FibQuant.Design;

namespace FibQuant.Benchmarks;

/// <summary>
/// Codebook design time, serial as in the compiler. <see cref="ExhaustiveRun"/> (baseline) and <see cref="RefineRun"/>
/// perform the same Lloyd–Max run (the spec's best shell layout plus restart noise, to convergence) with textbook
/// exhaustive search and with the refiner's bounds and vector search; their results are bit-identical (tested), so the
/// ratio is pure speed. <see cref="Design"/> is the whole construction: every (L, M_a) layout and the 20 restarts.
/// Designs with N = 256 take seconds per invocation; time them with <c>fibquant design --timing</c>.
/// </summary>
[MemoryDiagnoser]
public class DesignBenchmarks
{
    private CodebookSpec _spec = null!;
    private double[] _samples = null!;
    private double[] _start = null!;

    /// <summary>(d, k, N) of the design.</summary>
    [Params("64,1,4", "64,2,16", "128,2,16", "128,4,16")]
    public string Shape { get; set; } = "64,2,16";

    /// <summary>Draws the training sample and a noisy start like restarts 1…R−1.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split(',');
        _spec = new CodebookSpec(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]), seed: CodecCatalog.Seed);
        _samples = SphericalBetaSampler.Sample(_spec.Dimension, _spec.BlockSize, _spec.TrainingSamples,
            new DesignRandom(_spec.Seed, DesignStream.Training));
        _start = CodebookDesigner.InitialCodebook(_spec.Dimension, _spec.BlockSize, CodebookDesigner.ShellLayouts(_spec.BlockSize, _spec.Codewords)[^1]);
        var noise = new DesignRandom(_spec.Seed, DesignStream.RestartNoise);
        for (int i = 0; i < _start.Length; i++) _start[i] += 0.1 * noise.NextGaussian();
    }

    /// <summary>One Lloyd–Max run with exhaustive scalar search.</summary>
    [Benchmark(Baseline = true)]
    public double ExhaustiveRun() => FibQuant.Tests.Support.ExhaustiveLloydMax.Refine(_samples, _spec.BlockSize, (double[])_start.Clone()).Distortion;

    /// <summary>The same run through <see cref="LloydMaxRefiner"/>.</summary>
    [Benchmark]
    public double RefineRun() => LloydMaxRefiner.Refine(_samples, _spec.BlockSize, (double[])_start.Clone(), parallel: false, CancellationToken.None).Distortion;

    /// <summary>The whole design, serial.</summary>
    [Benchmark]
    public double Design() => CodebookDesigner.Design(_spec, parallel: false).TrainingDistortion;
}
