using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Benchmarks;

/// <summary>
/// Encode one vector at a time (the per-token path), <see cref="Batch"/> vectors per operation so Mean is per vector.
/// <c>fp16</c> is the baseline: <c>TensorPrimitives.ConvertToHalf</c> of the vector. Other names: see <see cref="CodecCatalog"/>.
/// </summary>
[MemoryDiagnoser]
public class EncodeBenchmarks
{
    /// <summary>Vectors per benchmark operation.</summary>
    public const int Batch = 256;

    private FibQuantizer? _codec;
    private float[] _vectors = null!;
    private byte[] _codes = null!;
    private Half[] _halves = null!;
    private int _size;

    /// <summary>Vector length d.</summary>
    [Params(64, 128)]
    public int Dimension { get; set; }

    /// <summary>The shared rotation.</summary>
    [Params(RotationKind.Haar, RotationKind.Hadamard)]
    public RotationKind Rotation { get; set; }

    /// <summary>The codec (and encoder) measured.</summary>
    [ParamsSource(nameof(Codecs))]
    public string Codec { get; set; } = "fp16";

    /// <summary>Every codec name of the encode comparison.</summary>
    public static IEnumerable<string> Codecs() =>
    [
        "fp16", "tq-b1", "tq-b2", "k2n16", "k2n16-2stage", "k2n16-hier",
        "k4n256", "k4n256-2stage", "k4n256-hier", "k8n256", "k8n256-2stage", "k8n256-hier",
    ];

    /// <summary>Designs (or loads) the codebook and makes the vectors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _vectors = BenchmarkData.Gaussian(Batch, Dimension, 11);
        _halves = new Half[Dimension];
        _codec = Codec == "fp16" ? null : CodecCatalog.Get(Codec, Dimension, Rotation);
        _size = _codec?.EncodedSize ?? 2 * Dimension;
        _codes = new byte[Batch * _size];
    }

    /// <summary>Encodes <see cref="Batch"/> vectors one call each.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int Encode()
    {
        int d = Dimension;
        ReadOnlySpan<float> vectors = _vectors;
        if (_codec is null)
        {
            Span<Half> halves = _halves;
            for (int i = 0; i < Batch; i++) TensorPrimitives.ConvertToHalf(vectors.Slice(i * d, d), halves);
            return halves.Length;
        }

        FibQuantizer codec = _codec;
        Span<byte> codes = _codes;
        for (int i = 0; i < Batch; i++) codec.Encode(vectors.Slice(i * d, d), codes.Slice(i * _size, _size));
        return codes[0];
    }
}
