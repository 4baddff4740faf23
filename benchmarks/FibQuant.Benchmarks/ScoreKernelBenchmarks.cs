using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using FibQuant.Attention;
using FibQuant.Coding;

namespace FibQuant.Benchmarks;

/// <summary>
/// Key scores only, T = 32768 keys, d = 128, b = 2 (k = 2, N = 16, 4-bit codes): compressed-domain scores against the
/// same keys in fp32 (TensorPrimitives dot per key; a Vector512 loop with the query in registers) and fp16 (the
/// library's chunked cache; a Vector512 loop widening in registers). Keys per second = 32768 / mean time.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class ScoreKernelBenchmarks
{
    /// <summary>Keys scored per operation.</summary>
    public const int Tokens = 32768;

    private Float16KeyValueCache _fp16 = null!;
    private CompressedKvCache<FibQuantizer> _compressed = null!;
    private float[] _query = null!;
    private float[] _scores = null!;
    private float[] _keys = null!;
    private Half[] _halfKeys = null!;
    private byte[] _codes = null!;
    private QuantizedScoreTable _table = null!;
    private float[] _group = null!;

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
        _keys = BenchmarkData.Gaussian(Tokens, 1);
        _halfKeys = new Half[_keys.Length];
        for (int i = 0; i < _keys.Length; i++) _halfKeys[i] = (Half)_keys[i];

        // The kernel alone: the same query's 8-bit table over 32 768 tokens of random 4-bit codes in the cache's layout.
        int blocks = BenchmarkData.Dimension / codec.BlockSize;
        var rotated = new float[BenchmarkData.Dimension];
        var lut = new float[blocks * codec.Codewords];
        codec.Rotate(_query, rotated);
        codec.BuildScoreTable(rotated, lut);
        _table = new QuantizedScoreTable(blocks);
        _table.Quantize(lut);
        _codes = new byte[Tokens / 2 * blocks];
        new Random(4).NextBytes(_codes);
        _group = new float[32];
    }

    /// <summary>fp32 keys, <c>TensorPrimitives.Dot</c> per key.</summary>
    [Benchmark]
    public float Fp32TensorPrimitives()
    {
        int d = BenchmarkData.Dimension;
        for (int t = 0; t < Tokens; t++) _scores[t] = TensorPrimitives.Dot(_query, _keys.AsSpan(t * d, d));
        return _scores[0];
    }

    /// <summary>fp32 keys, hand-vectorised loop with the query in eight Vector512 registers.</summary>
    [Benchmark]
    public float Fp32Vector512()
    {
        DenseAttention.Scores(_query, _keys, 1f, _scores);
        return _scores[0];
    }

    /// <summary>fp16 keys, the same loop widening each 16-element chunk in registers.</summary>
    [Benchmark]
    public float Fp16Vector512()
    {
        DenseAttention.Scores(_query, _halfKeys, 1f, _scores);
        return _scores[0];
    }

    /// <summary>fp16 cache: 64-key chunks widened with ConvertToSingle, TensorPrimitives.Dot per key.</summary>
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

    /// <summary>
    /// The fast-scan kernel alone (<see cref="FastScanKernel.ScoreGroup"/> over 1 024 groups of 32 tokens), without the
    /// per-query table build, the norms and the cache's paging that <see cref="FastScan"/> includes.
    /// </summary>
    [Benchmark]
    public float FastScanKernelOnly()
    {
        int groupBytes = _codes.Length / (Tokens / 32);
        for (int g = 0; g < Tokens / 32; g++)
            FastScanKernel.ScoreGroup(_codes.AsSpan(g * groupBytes, groupBytes), _table.Table, groupBytes / 16, _table.Bias, _table.InverseScale, _group);
        return _group[0];
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
