using System;
using BenchmarkDotNet.Attributes;
using FibQuant.Attention;
using FibQuant.Coding;

namespace FibQuant.Benchmarks;

/// <summary>
/// One decode step of attention (one query, single thread) over T cached tokens at d = 128 in the compressed domain,
/// and decoding every token first. The uncompressed baselines (fp32 and fp16, TensorPrimitives and Vector512 loops)
/// are <see cref="DenseAttentionBenchmarks"/>, run in the same BenchmarkDotNet invocation for ratios.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class AttentionBenchmarks
{
    private CompressedKvCache<FibQuantizer> _compressed = null!;
    private float[] _query = null!;
    private float[] _output = null!;
    private float[] _keys = null!;
    private float[] _values = null!;
    private float[] _scores = null!;

    /// <summary>Tokens in the cache.</summary>
    [Params(1024, 8192, 32768)]
    public int Tokens { get; set; }

    /// <summary>Rate b in bits per coordinate (see <see cref="BenchmarkData.Codec"/>).</summary>
    [Params(1, 2, 3)]
    public int Bits { get; set; }

    /// <summary>Designs the codebook and fills the caches.</summary>
    [GlobalSetup]
    public void Setup()
    {
        FibQuantizer codec = BenchmarkData.Codec(Bits);
        _compressed = new CompressedKvCache<FibQuantizer>(codec, codec);
        BenchmarkData.Fill(Tokens, new Float16KeyValueCache(BenchmarkData.Dimension), _compressed);
        _query = BenchmarkData.Gaussian(1, 3);
        _output = new float[BenchmarkData.Dimension];
        _keys = new float[Tokens * BenchmarkData.Dimension];
        _values = new float[Tokens * BenchmarkData.Dimension];
        _scores = new float[Tokens];
        Compressed();
    }

    /// <summary>Compressed-domain attention with the cache's default kernel (fast scan for N = 16).</summary>
    [Benchmark(Baseline = true)]
    public float Compressed()
    {
        _compressed.Attend(_query, Scale, Tokens, _output);
        return _output[0];
    }

    /// <summary>Compressed-domain attention with the exact fp32 score table.</summary>
    [Benchmark]
    public float CompressedExactTable()
    {
        _compressed.KeyScoreKernel = ScoreKernel.ExactTable;
        _compressed.Attend(_query, Scale, Tokens, _output);
        _compressed.KeyScoreKernel = _compressed.SupportsFastScan ? ScoreKernel.FastScan : ScoreKernel.ExactTable;
        return _output[0];
    }

    /// <summary>Decode every key and value, then exact attention.</summary>
    [Benchmark]
    public float DecodeThenAttend()
    {
        ReferenceAttention.DecodeAll(_compressed, Tokens, _keys, _values);
        ReferenceAttention.Attend(_query, _keys, _values, Scale, _scores, _output);
        return _output[0];
    }

    private static float Scale => 1f / MathF.Sqrt(BenchmarkData.Dimension);
}
