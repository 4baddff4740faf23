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
/// encode and decode (one call per vector and the batch calls), <see cref="EncodeBenchmarks.Batch"/> vectors per operation
/// so Mean is per vector; rotate and score table per query.
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
    private float[] _rotated = null!;
    private float[] _scores = null!;
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
        _rotated = new float[D];
        _scores = new float[D / _runtime.BlockSize * _runtime.Codewords];
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
        Generated(Operation.Encode);
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
        Generated(Operation.Decode);
        return _decoded[0];
    }

    /// <summary>Runtime <c>EncodeBatch</c> over all vectors (Mean per vector).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("EncodeBatch")]
    public byte RuntimeEncodeBatch()
    {
        _runtime.EncodeBatch(_vectors, _codes);
        return _codes[0];
    }

    /// <summary>Generated <c>EncodeBatch</c> over all vectors (Mean per vector).</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("EncodeBatch")]
    public byte GeneratedEncodeBatch()
    {
        Generated(Operation.EncodeBatch);
        return _codes[0];
    }

    /// <summary>Runtime <c>DecodeBatch</c> over all vectors (Mean per vector).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("DecodeBatch")]
    public float RuntimeDecodeBatch()
    {
        _runtime.DecodeBatch(_codes, _decoded);
        return _decoded[0];
    }

    /// <summary>Generated <c>DecodeBatch</c> over all vectors (Mean per vector).</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("DecodeBatch")]
    public float GeneratedDecodeBatch()
    {
        Generated(Operation.DecodeBatch);
        return _decoded[0];
    }

    /// <summary>Runtime rotation Π·x of one query.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Rotate")]
    public float RuntimeRotate()
    {
        _runtime.Rotate(_vectors.AsSpan(0, D), _rotated);
        return _rotated[0];
    }

    /// <summary>Generated rotation Π·x of one query.</summary>
    [Benchmark, BenchmarkCategory("Rotate")]
    public float GeneratedRotate()
    {
        Generated(Operation.Rotate);
        return _rotated[0];
    }

    /// <summary>Runtime per-query score table ((d/k)·N dot products).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("ScoreTable")]
    public float RuntimeScoreTable()
    {
        _runtime.BuildScoreTable(_vectors.AsSpan(0, D), _scores);
        return _scores[0];
    }

    /// <summary>Generated per-query score table.</summary>
    [Benchmark, BenchmarkCategory("ScoreTable")]
    public float GeneratedScoreTable()
    {
        Generated(Operation.ScoreTable);
        return _scores[0];
    }

    private void Generated(Operation operation)
    {
        switch (Codec)
        {
            case "k2n16-haar": Run<Gen128x2x16Haar.Codec>(operation); break;
            case "k2n16-hadamard": Run<Gen128x2x16Hadamard.Codec>(operation); break;
            case "tq-b2-hadamard": Run<Gen128x1x4Hadamard.Codec>(operation); break;
            case "k4n256-haar": Run<Kv128x4x256.Codec>(operation); break;
            default: Run<Kv128x8x256.Codec>(operation); break;
        }
    }

    private void Run<T>(Operation operation) where T : struct, ICodebookShape, IVectorCodec
    {
        T codec = default;
        switch (operation)
        {
            case Operation.Encode:
                for (int i = 0; i < Batch; i++) codec.Encode(_vectors.AsSpan(i * D, D), _codes.AsSpan(i * _size, _size));
                break;
            case Operation.Decode:
                for (int i = 0; i < Batch; i++) codec.Decode(_codes.AsSpan(i * _size, _size), _decoded.AsSpan(i * D, D));
                break;
            case Operation.EncodeBatch:
                ShapedCodec<T>.EncodeBatch(_vectors, _codes);
                break;
            case Operation.DecodeBatch:
                ShapedCodec<T>.DecodeBatch(_codes, _decoded);
                break;
            case Operation.Rotate:
                codec.Rotate(_vectors.AsSpan(0, D), _rotated);
                break;
            default:
                codec.BuildScoreTable(_vectors.AsSpan(0, D), _scores);
                break;
        }
    }

    private ulong Fingerprint() => Codec switch
    {
        "k2n16-haar" => Gen128x2x16Haar.Fingerprint,
        "k2n16-hadamard" => Gen128x2x16Hadamard.Fingerprint,
        "tq-b2-hadamard" => Gen128x1x4Hadamard.Fingerprint,
        "k4n256-haar" => Kv128x4x256.Fingerprint,
        _ => Kv128x8x256.Fingerprint,
    };

    private enum Operation
    {
        Encode,
        Decode,
        EncodeBatch,
        DecodeBatch,
        Rotate,
        ScoreTable,
    }
}
