using System;
using BenchmarkDotNet.Attributes;
using System.Runtime.Intrinsics;
using FibQuant.Attention;

namespace FibQuant.Benchmarks;

/// <summary>
/// The uncompressed baselines of <see cref="AttentionBenchmarks"/>: one decode step (one query, one thread, d = 128) over
/// T fp32 or fp16 tokens. Setup checks every baseline against <see cref="ReferenceAttention"/> and the fp16 widening
/// against <c>(float)Half</c> for all 65 536 bit patterns, so a fast but wrong baseline cannot be reported.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class DenseAttentionBenchmarks
{
    private Float32KeyValueCache _fp32 = null!;
    private Float16KeyValueCache _fp16 = null!;
    private float[] _keys = null!;
    private float[] _values = null!;
    private Half[] _halfKeys = null!;
    private Half[] _halfValues = null!;
    private float[] _query = null!;
    private float[] _output = null!;
    private float[] _scores = null!;

    /// <summary>Tokens in the cache.</summary>
    [Params(1024, 8192, 32768)]
    public int Tokens { get; set; }

    /// <summary>Fills the caches with the keys and values of <see cref="AttentionBenchmarks"/> and checks the baselines.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int d = BenchmarkData.Dimension;
        _keys = BenchmarkData.Gaussian(Tokens, 1);
        _values = BenchmarkData.Gaussian(Tokens, 2);
        _halfKeys = new Half[_keys.Length];
        _halfValues = new Half[_values.Length];
        for (int i = 0; i < _keys.Length; i++)
        {
            _halfKeys[i] = (Half)_keys[i];
            _halfValues[i] = (Half)_values[i];
        }

        _fp32 = new Float32KeyValueCache(d, Tokens);
        _fp16 = new Float16KeyValueCache(d);
        for (int t = 0; t < Tokens; t++)
        {
            _fp32.Append(_keys.AsSpan(t * d, d), _values.AsSpan(t * d, d));
            _fp16.Append(_halfKeys.AsSpan(t * d, d), _halfValues.AsSpan(t * d, d));
        }

        _query = BenchmarkData.Gaussian(1, 3);
        _output = new float[d];
        _scores = new float[Tokens];
        CheckWiden();
        var expected = new float[d];
        ReferenceAttention.Attend(_query, _keys, _values, Scale, new float[Tokens], expected);
        Check(expected, Fp32Vector512, "Fp32Vector512");
        Check(expected, Fp32TensorPrimitives, "Fp32TensorPrimitives");
        var widenedKeys = new float[_keys.Length];
        var widenedValues = new float[_values.Length];
        for (int i = 0; i < _keys.Length; i++)
        {
            widenedKeys[i] = (float)_halfKeys[i];
            widenedValues[i] = (float)_halfValues[i];
        }

        ReferenceAttention.Attend(_query, widenedKeys, widenedValues, Scale, new float[Tokens], expected);
        Check(expected, Fp16Vector512, "Fp16Vector512");
        Check(expected, Fp16Cache, "Fp16Cache");
    }

    /// <summary>fp32 cache, TensorPrimitives dot products and multiply-adds (<see cref="Float32KeyValueCache"/>).</summary>
    [Benchmark(Baseline = true)]
    public float Fp32TensorPrimitives()
    {
        _fp32.Attend(_query, Scale, Tokens, _output);
        return _output[0];
    }

    /// <summary>fp32, hand-vectorised: query and output in Vector512 registers (<see cref="DenseAttention"/>).</summary>
    [Benchmark]
    public float Fp32Vector512()
    {
        DenseAttention.Attend(_query, _keys, _values, Scale, _scores, _output);
        return _output[0];
    }

    /// <summary>fp16, hand-vectorised: each 16-element chunk widened in registers.</summary>
    [Benchmark]
    public float Fp16Vector512()
    {
        DenseAttention.Attend(_query, _halfKeys, _halfValues, Scale, _scores, _output);
        return _output[0];
    }

    /// <summary>fp16 cache as the library ships it: 64-token chunks widened with ConvertToSingle, then TensorPrimitives.</summary>
    [Benchmark]
    public float Fp16Cache()
    {
        _fp16.Attend(_query, Scale, Tokens, _output);
        return _output[0];
    }

    private static float Scale => 1f / MathF.Sqrt(BenchmarkData.Dimension);

    private void Check(float[] expected, Func<float> step, string name)
    {
        step();
        for (int i = 0; i < expected.Length; i++)
            if (MathF.Abs(expected[i] - _output[i]) > 1e-5f * MathF.Max(1f, MathF.Abs(expected[i])))
                throw new InvalidOperationException($"{name}: output[{i}] = {_output[i]}, reference {expected[i]}.");
    }

    private static void CheckWiden()
    {
        var bits = new ushort[65536];
        for (int i = 0; i < bits.Length; i++) bits[i] = (ushort)i;
        var widened = new float[16];
        for (int i = 0; i < bits.Length; i += 16)
        {
            DenseAttention.Widen(ref bits[i], 0).StoreUnsafe(ref widened[0]);
            for (int j = 0; j < 16; j++)
            {
                float expected = (float)BitConverter.UInt16BitsToHalf(bits[i + j]);
                if (BitConverter.SingleToInt32Bits(widened[j]) != BitConverter.SingleToInt32Bits(expected) && !(float.IsNaN(expected) && float.IsNaN(widened[j])))
                    throw new InvalidOperationException($"Widen(0x{i + j:X4}) = {widened[j]}, expected {expected}.");
            }
        }
    }
}
