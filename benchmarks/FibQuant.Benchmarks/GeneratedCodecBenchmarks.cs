using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FibQuant.Codebooks;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Benchmarks;

/// <summary>
/// Compile-time generated codecs against the runtime <see cref="FibQuantizer"/> of the same codebook (identical codes),
/// encode and decode, <see cref="EncodeBenchmarks.Batch"/> vectors per operation so Mean is per vector.
/// Spec-file codecs (<c>k4n256</c>, <c>k8n256</c>) are Haar.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class GeneratedCodecBenchmarks
{
    private const int Batch = EncodeBenchmarks.Batch;
    private const int D = 128;
    private FibQuantizer _runtime = null!;
    private float[] _vectors = null!;
    private float[] _decoded = null!;
    private byte[] _codes = null!;
    private int _size;

    /// <summary>Which generated codebook: <c>k2n16-haar</c>, <c>k2n16-hadamard</c>, <c>tq-b2-hadamard</c>, <c>k4n256-haar</c>, <c>k8n256-haar</c>.</summary>
    [ParamsSource(nameof(Codecs))]
    public string Codec { get; set; } = "k2n16-haar";

    /// <summary>Every generated codebook compared.</summary>
    public static IEnumerable<string> Codecs() => ["k2n16-haar", "k2n16-hadamard", "tq-b2-hadamard", "k4n256-haar", "k8n256-haar"];

    /// <summary>Loads the runtime codec of the same spec and encodes the vectors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _runtime = Codec switch
        {
            "k2n16-haar" => CodecCatalog.Get("k2n16", D, RotationKind.Haar),
            "k2n16-hadamard" => CodecCatalog.Get("k2n16", D, RotationKind.Hadamard),
            "tq-b2-hadamard" => CodecCatalog.Get("tq-b2", D, RotationKind.Hadamard),
            "k4n256-haar" => CodecCatalog.Get("k4n256", D, RotationKind.Haar),
            "k8n256-haar" => CodecCatalog.Get("k8n256", D, RotationKind.Haar),
            _ => throw new ArgumentException($"Unknown codec '{Codec}'."),
        };
        _vectors = BenchmarkData.Gaussian(Batch, D, 14);
        _decoded = new float[_vectors.Length];
        _size = _runtime.EncodedSize;
        _codes = new byte[Batch * _size];
        _runtime.EncodeBatch(_vectors, _codes);
        if (Fingerprint() != _runtime.Fingerprint) throw new InvalidOperationException($"{Codec}: generated and runtime fingerprints differ.");
    }

    /// <summary>Runtime encode, one call per vector.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public byte RuntimeEncode()
    {
        for (int i = 0; i < Batch; i++) _runtime.Encode(_vectors.AsSpan(i * D, D), _codes.AsSpan(i * _size, _size));
        return _codes[0];
    }

    /// <summary>Generated encode, one call per vector.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public byte GeneratedEncode()
    {
        switch (Codec)
        {
            case "k2n16-haar": EncodeAll<Gen128x2x16Haar.Codec>(); break;
            case "k2n16-hadamard": EncodeAll<Gen128x2x16Hadamard.Codec>(); break;
            case "tq-b2-hadamard": EncodeAll<Gen128x1x4Hadamard.Codec>(); break;
            case "k4n256-haar": EncodeAll<Kv128x4x256.Codec>(); break;
            default: EncodeAll<Kv128x8x256.Codec>(); break;
        }

        return _codes[0];
    }

    /// <summary>Runtime decode, one call per vector.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("Decode")]
    public float RuntimeDecode()
    {
        for (int i = 0; i < Batch; i++) _runtime.Decode(_codes.AsSpan(i * _size, _size), _decoded.AsSpan(i * D, D));
        return _decoded[0];
    }

    /// <summary>Generated decode, one call per vector.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Decode")]
    public float GeneratedDecode()
    {
        switch (Codec)
        {
            case "k2n16-haar": DecodeAll<Gen128x2x16Haar.Codec>(); break;
            case "k2n16-hadamard": DecodeAll<Gen128x2x16Hadamard.Codec>(); break;
            case "tq-b2-hadamard": DecodeAll<Gen128x1x4Hadamard.Codec>(); break;
            case "k4n256-haar": DecodeAll<Kv128x4x256.Codec>(); break;
            default: DecodeAll<Kv128x8x256.Codec>(); break;
        }

        return _decoded[0];
    }

    private ulong Fingerprint() => Codec switch
    {
        "k2n16-haar" => Gen128x2x16Haar.Fingerprint,
        "k2n16-hadamard" => Gen128x2x16Hadamard.Fingerprint,
        "tq-b2-hadamard" => Gen128x1x4Hadamard.Fingerprint,
        "k4n256-haar" => Kv128x4x256.Fingerprint,
        _ => Kv128x8x256.Fingerprint,
    };

    private void EncodeAll<T>() where T : struct, ICodebookShape, IVectorCodec
    {
        T codec = default;
        for (int i = 0; i < Batch; i++) codec.Encode(_vectors.AsSpan(i * D, D), _codes.AsSpan(i * _size, _size));
    }

    private void DecodeAll<T>() where T : struct, ICodebookShape, IVectorCodec
    {
        T codec = default;
        for (int i = 0; i < Batch; i++) codec.Decode(_codes.AsSpan(i * _size, _size), _decoded.AsSpan(i * D, D));
    }
}
