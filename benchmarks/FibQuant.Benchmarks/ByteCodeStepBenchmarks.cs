using System;
using BenchmarkDotNet.Attributes;
using FibQuant.Attention;
using FibQuant.Coding;

namespace FibQuant.Benchmarks;

/// <summary>
/// Where the b = 3 attention step (k = 2, N = 64, packed 6-bit codes, d = 128, one query, one thread) spends its time:
/// the key scores alone with each score kernel (8-bit fast scan of the packed codes on AVX-512 VBMI; the exact fp32
/// table over codes unpacked per page), and the whole step with each. The step minus its scores is softmax plus the
/// value accumulation. Ratios against <see cref="DenseAttentionBenchmarks"/> come from running both in one invocation.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class ByteCodeStepBenchmarks
{
    private CompressedKvCache<FibQuantizer> _cache = null!;
    private float[] _query = null!;
    private float[] _output = null!;
    private float[] _scores = null!;
    private ScoreKernel _default;

    /// <summary>Tokens in the cache.</summary>
    [Params(1024, 8192, 32768)]
    public int Tokens { get; set; }

    /// <summary>Designs the codebook and fills the cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        FibQuantizer codec = BenchmarkData.Codec(3);
        _cache = new CompressedKvCache<FibQuantizer>(codec, codec);
        BenchmarkData.Fill(Tokens, new Float16KeyValueCache(BenchmarkData.Dimension), _cache);
        _default = _cache.KeyScoreKernel;
        _query = BenchmarkData.Gaussian(1, 3);
        _output = new float[BenchmarkData.Dimension];
        _scores = new float[Tokens];
        Step();
        StepExactTable();
    }

    /// <summary>The whole step with the cache's default kernel (fast scan where AVX-512 VBMI is present).</summary>
    [Benchmark(Baseline = true)]
    public float Step()
    {
        _cache.Attend(_query, Scale, Tokens, _output);
        return _output[0];
    }

    /// <summary>The whole step with the exact fp32 score table.</summary>
    [Benchmark]
    public float StepExactTable()
    {
        _cache.KeyScoreKernel = ScoreKernel.ExactTable;
        _cache.Attend(_query, Scale, Tokens, _output);
        _cache.KeyScoreKernel = _default;
        return _output[0];
    }

    /// <summary>Key scores alone with the default kernel.</summary>
    [Benchmark]
    public float Scores()
    {
        _cache.ComputeScores(_query, Scale, Tokens, _scores);
        return _scores[0];
    }

    /// <summary>Key scores alone with the exact fp32 table.</summary>
    [Benchmark]
    public float ScoresExactTable()
    {
        _cache.KeyScoreKernel = ScoreKernel.ExactTable;
        _cache.ComputeScores(_query, Scale, Tokens, _scores);
        _cache.KeyScoreKernel = _default;
        return _scores[0];
    }

    private static float Scale => 1f / MathF.Sqrt(BenchmarkData.Dimension);
}
