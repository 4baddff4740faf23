using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Benchmarks;

/// <summary>
/// Decode one vector at a time and the batch entry point, <see cref="EncodeBenchmarks.Batch"/> vectors per operation
/// so Mean is per vector. <c>fp16</c> is the baseline: <c>TensorPrimitives.ConvertToSingle</c>.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private const int Batch = EncodeBenchmarks.Batch;
    private FibQuantizer? _codec;
    private byte[] _codes = null!;
    private Half[] _halves = null!;
    private float[] _vectors = null!;
    private int _size;

    /// <summary>Vector length d.</summary>
    [Params(64, 128)]
    public int Dimension { get; set; }

    /// <summary>The shared rotation.</summary>
    [Params(RotationKind.Haar, RotationKind.Hadamard)]
    public RotationKind Rotation { get; set; }

    /// <summary>The codec measured (decode does not depend on the encoder).</summary>
    [ParamsSource(nameof(Codecs))]
    public string Codec { get; set; } = "fp16";

    /// <summary>Every codec name of the decode comparison.</summary>
    public static IEnumerable<string> Codecs() => ["fp16", "tq-b1", "tq-b2", "k2n16", "k4n256", "k8n256"];

    /// <summary>Designs (or loads) the codebook and encodes the vectors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        float[] source = BenchmarkData.Gaussian(Batch, Dimension, 12);
        _vectors = new float[source.Length];
        _codec = Codec == "fp16" ? null : CodecCatalog.Get(Codec, Dimension, Rotation);
        _size = _codec?.EncodedSize ?? 2 * Dimension;
        _codes = new byte[Batch * _size];
        _halves = new Half[source.Length];
        if (_codec is null) TensorPrimitives.ConvertToHalf(source, _halves);
        else _codec.EncodeBatch(source, _codes);
    }

    /// <summary>Decodes <see cref="EncodeBenchmarks.Batch"/> vectors one call each.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public float Decode()
    {
        int d = Dimension;
        Span<float> vectors = _vectors;
        if (_codec is null)
        {
            ReadOnlySpan<Half> halves = _halves;
            for (int i = 0; i < Batch; i++) TensorPrimitives.ConvertToSingle(halves.Slice(i * d, d), vectors.Slice(i * d, d));
            return vectors[0];
        }

        FibQuantizer codec = _codec;
        ReadOnlySpan<byte> codes = _codes;
        for (int i = 0; i < Batch; i++) codec.Decode(codes.Slice(i * _size, _size), vectors.Slice(i * d, d));
        return vectors[0];
    }

    /// <summary>Decodes the same vectors with one <see cref="FibQuantizer.DecodeBatch"/> call.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public float DecodeBatch()
    {
        if (_codec is null) TensorPrimitives.ConvertToSingle(_halves, _vectors);
        else _codec.DecodeBatch(_codes, _vectors);
        return _vectors[0];
    }
}
