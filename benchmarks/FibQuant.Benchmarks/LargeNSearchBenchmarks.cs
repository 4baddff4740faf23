using System;
using BenchmarkDotNet.Attributes;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Benchmarks;

/// <summary>
/// The block searches alone, without rotation and norm (the part of <see cref="LargeNEncoderBenchmarks"/> they differ
/// in): the 16 k = 8 blocks of <see cref="Vectors"/> rotated unit vectors per operation, so Mean is per vector; Exact
/// is the baseline of each N. Same spec files and calibrated defaults as the encode benchmark.
/// </summary>
[MemoryDiagnoser]
public class LargeNSearchBenchmarks
{
    /// <summary>Vectors (of 16 blocks) per benchmark operation.</summary>
    public const int Vectors = 64;

    private IBlockSearch _exact = null!;
    private IBlockSearch _twoStage = null!;
    private IBlockSearch _hierarchical = null!;
    private float[] _blocks = null!;
    private ushort[] _indices = null!;

    /// <summary>Codebook size N (k = 8).</summary>
    [Params(256, 1024, 2048)]
    public int Codewords { get; set; }

    /// <summary>Loads the spec file, calibrates the approximate searches and rotates the test vectors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Codebook codebook = CodecCatalog.FromSpecFile($"Kv128x8x{Codewords}.json");
        _exact = new NearestCodeword(codebook);
        _twoStage = TwoStageSearch.Calibrated(codebook);
        _hierarchical = HierarchicalSearch.WithDefaults(codebook);
        var codec = new FibQuantizer(codebook, NormFormat.Half, EncoderKind.Exact);
        float[] vectors = FibQuant.Evaluation.RateDistortion.UniformUnitVectors(128, Vectors, 11);
        _blocks = new float[vectors.Length];
        for (int v = 0; v < Vectors; v++) codec.Rotate(vectors.AsSpan(v * 128, 128), _blocks.AsSpan(v * 128, 128));
        _indices = new ushort[_blocks.Length / 8];
    }

    /// <summary>Exhaustive SIMD search: N·k per block.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Vectors)]
    public void Exact() => _exact.FindAll(_blocks, _indices);

    /// <summary>Nearest shells by radius, then their directions.</summary>
    [Benchmark(OperationsPerInvoke = Vectors)]
    public void TwoStage() => _twoStage.FindAll(_blocks, _indices);

    /// <summary>Top-T of K parent centroids, then their children.</summary>
    [Benchmark(OperationsPerInvoke = Vectors)]
    public void Hierarchical() => _hierarchical.FindAll(_blocks, _indices);
}
