using System;
using BenchmarkDotNet.Attributes;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Evaluation;

namespace FibQuant.Benchmarks;

/// <summary>
/// Exact vs two-stage vs hierarchical encode of d = 128, k = 8 vectors (Haar) from the committed spec files
/// <c>codebooks/Kv128x8x{N}.json</c>, <see cref="Batch"/> vectors per operation so Mean is per vector; Exact is the
/// baseline of each N. The approximate encoders run their calibrated defaults (within 0.5 % of exact distortion on the
/// calibration sample; the hierarchical one: orthant cells and candidate lists). Setup prints each encoder's settings and its distortion on 20 000 uniform unit vectors
/// ("// distortion" lines of the log), so the speed ratios come with their cost.
/// </summary>
[MemoryDiagnoser]
public class LargeNEncoderBenchmarks
{
    /// <summary>Vectors per benchmark operation.</summary>
    public const int Batch = 64;

    private const int Dimension = 128;
    private FibQuantizer _exact = null!;
    private FibQuantizer _twoStage = null!;
    private FibQuantizer _hierarchical = null!;
    private float[] _vectors = null!;
    private byte[] _codes = null!;

    /// <summary>Codebook size N (k = 8): 256 is the small-N contrast, 1024 and 2048 the large-N cases.</summary>
    [Params(256, 1024, 2048)]
    public int Codewords { get; set; }

    /// <summary>Loads the spec file, calibrates the approximate encoders and reports their distortion.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Codebook codebook = CodecCatalog.FromSpecFile($"Kv128x8x{Codewords}.json");
        _exact = new FibQuantizer(codebook, NormFormat.Half, EncoderKind.Exact);
        _twoStage = new FibQuantizer(codebook, NormFormat.Half, EncoderKind.TwoStage);
        _hierarchical = new FibQuantizer(codebook, NormFormat.Half, EncoderKind.Hierarchical);
        _vectors = BenchmarkData.Gaussian(Batch, Dimension, 11);
        _codes = new byte[Batch * _exact.EncodedSize];

        float[] test = RateDistortion.UniformUnitVectors(Dimension, 20_000, 1001);
        double exact = RateDistortion.MeanSquaredError(_exact, test);
        TwoStageSearch twoStage = TwoStageSearch.Calibrated(codebook);
        HierarchicalSearch hierarchical = HierarchicalSearch.WithDefaults(codebook);
        Console.WriteLine($"// distortion N={Codewords} exact {exact:F6}");
        Console.WriteLine($"// distortion N={Codewords} two-stage ({twoStage.ShellsProbed} of {codebook.Shells} shells) " +
            $"{RateDistortion.MeanSquaredError(_twoStage, test) / exact:F4} x exact");
        Console.WriteLine($"// distortion N={Codewords} hierarchical (K={hierarchical.Parents} cells, T={hierarchical.Probes}, coverage {hierarchical.Coverage}, " +
            $"{hierarchical.MeanCandidates:F1} candidates per block) " +
            $"{RateDistortion.MeanSquaredError(_hierarchical, test) / exact:F4} x exact");
    }

    /// <summary>Exhaustive SIMD search: N·k per block.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void Exact() => _exact.EncodeBatch(_vectors, _codes);

    /// <summary>Nearest shells by radius, then their directions.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void TwoStage() => _twoStage.EncodeBatch(_vectors, _codes);

    /// <summary>Top-T of K parent centroids, then their children.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void Hierarchical() => _hierarchical.EncodeBatch(_vectors, _codes);
}
