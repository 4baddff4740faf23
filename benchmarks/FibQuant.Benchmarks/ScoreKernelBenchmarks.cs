using System;
using BenchmarkDotNet.Attributes;
using FibQuant.Attention;
using FibQuant.Coding;

namespace FibQuant.Benchmarks;

/// <summary>
/// Key scores only, T = 32768 keys, d = 128, b = 2 (k = 2, N = 16, 4-bit codes): compressed-domain scores against fp16
/// TensorPrimitives dot products over the same keys. Keys per second = 32768 / mean time.
/// </summary>
[MemoryDiagnoser]
public class ScoreKernelBenchmarks
{
    /// <summary>Keys scored per operation.</summary>
    public const int Tokens = 32768;

    private Float16KeyValueCache _fp16 = null!;
    private CompressedKvCache<FibQuantizer> _compressed = null!;
    private float[] _query = null!;
    private float[] _scores = null!;

    /// <summary>Designs the codebook and fills the caches.</summary>
    [GlobalSetup]
    public void Setup()
    {
        FibQuantizer codec = BenchmarkData.Codec(2);
        _fp16 = new Float16KeyValueCache(BenchmarkData.Dimension);
        _compressed = new CompressedKvCache<FibQuantizer>(codec, codec);
        BenchmarkData.Fill(Tokens, _fp16, _compressed);
        _query = BenchmarkData.Gaussian(1, 3);
        _scores = new float[Tokens];
    }

    /// <summary>fp16 keys widened with ConvertToSingle, TensorPrimitives.Dot per key.</summary>
    [Benchmark(Baseline = true)]
    public float Fp16Dots()
    {
        _fp16.ComputeScores(_query, 1f, Tokens, _scores);
        return _scores[0];
    }

    /// <summary>Fast-scan kernel: 8-bit table, in-register shuffles.</summary>
    [Benchmark]
    public float FastScan()
    {
        _compressed.KeyScoreKernel = ScoreKernel.FastScan;
        _compressed.ComputeScores(_query, 1f, Tokens, _scores);
        return _scores[0];
    }

    /// <summary>Exact fp32 table, looked up per block.</summary>
    [Benchmark]
    public float ExactTable()
    {
        _compressed.KeyScoreKernel = ScoreKernel.ExactTable;
        _compressed.ComputeScores(_query, 1f, Tokens, _scores);
        return _scores[0];
    }
}
