using System;
using BenchmarkDotNet.Attributes;
using FibQuant.Attention;
using FibQuant.Coding;

namespace FibQuant.Benchmarks;

/// <summary>
/// Grouped-query attention at T = 32768, d = 128, one thread: g query heads sharing one compressed KV head, as one
/// <see cref="CompressedKvCache{TCodec}.AttendGroup"/> call against g <see cref="CompressedKvCache{TCodec}.Attend"/> calls.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class GroupedAttentionBenchmarks
{
    /// <summary>Tokens in the cache.</summary>
    public const int Tokens = 32768;

    private CompressedKvCache<FibQuantizer> _compressed = null!;
    private float[] _queries = null!;
    private float[] _outputs = null!;

    /// <summary>Query heads per KV head.</summary>
    [Params(4, 8)]
    public int Heads { get; set; }

    /// <summary>Rate b in bits per coordinate (see <see cref="BenchmarkData.Codec"/>).</summary>
    [Params(1, 2, 3)]
    public int Bits { get; set; }

    /// <summary>Designs the codebook, fills the cache and checks that both paths agree bit for bit.</summary>
    [GlobalSetup]
    public void Setup()
    {
        FibQuantizer codec = BenchmarkData.Codec(Bits);
        _compressed = new CompressedKvCache<FibQuantizer>(codec, codec);
        BenchmarkData.Fill(Tokens, new Float16KeyValueCache(BenchmarkData.Dimension), _compressed);
        _queries = BenchmarkData.Gaussian(Heads, 3);
        _outputs = new float[Heads * BenchmarkData.Dimension];
        PerHeadCalls();
        float[] single = (float[])_outputs.Clone();
        Grouped();
        if (!single.AsSpan().SequenceEqual(_outputs)) throw new InvalidOperationException("AttendGroup differs from per-head Attend.");
    }

    /// <summary>One <c>Attend</c> call per query head.</summary>
    [Benchmark(Baseline = true)]
    public float PerHeadCalls()
    {
        int d = BenchmarkData.Dimension;
        for (int h = 0; h < Heads; h++) _compressed.Attend(_queries.AsSpan(h * d, d), Scale, Tokens, _outputs.AsSpan(h * d, d));
        return _outputs[0];
    }

    /// <summary>One <c>AttendGroup</c> call for all query heads.</summary>
    [Benchmark]
    public float Grouped()
    {
        _compressed.AttendGroup(_queries, Scale, Tokens, _outputs);
        return _outputs[0];
    }

    private static float Scale => 1f / MathF.Sqrt(BenchmarkData.Dimension);
}
