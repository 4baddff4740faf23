using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Benchmarks;

/// <summary>
/// Where one encode and one decode spend their time (d = 128, Hadamard): each stage of the pipeline alone, on the
/// data it sees inside <see cref="FibQuantizer.Encode"/> / <see cref="FibQuantizer.Decode"/>, next to the whole call.
/// <see cref="Batch"/> vectors per operation, so Mean is per vector; the whole call minus the sum of the stages is what
/// the pipeline adds around the kernels (argument checks, slicing, dispatch).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class EncodeStageBenchmarks
{
    private const int Batch = 64;
    private const int D = 128;
    private FibQuantizer _codec = null!;
    private float[] _vectors = null!;
    private float[] _rotated = null!;
    private float[] _signs = null!;
    private float[] _transposed = null!;
    private float[] _table = null!;
    private ushort[] _indices = null!;
    private byte[] _codes = null!;
    private float[] _output = null!;
    private float[] _norms = null!;
    private int _size;
    private RuntimeDimensions _dims;
    private int _blocks;

    /// <summary>The codec: <c>tq-b2</c> (k = 1, N = 4) or <c>k2n16</c> (k = 2, N = 16).</summary>
    [ParamsSource(nameof(Codecs))]
    public string Codec { get; set; } = "tq-b2";

    /// <summary>The codecs profiled.</summary>
    public static IEnumerable<string> Codecs() => ["tq-b2", "k2n16"];

    /// <summary>Encodes the vectors once so every stage has its real input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _codec = CodecCatalog.Get(Codec, D, RotationKind.Hadamard);
        CodebookSpec spec = _codec.Codebook.Spec;
        _blocks = D / spec.BlockSize;
        _dims = new RuntimeDimensions(D, spec.BlockSize, spec.Codewords);
        _size = _codec.EncodedSize;
        _vectors = BenchmarkData.Gaussian(Batch, D, 15);
        _signs = _codec.Codebook.Rotation.ToArray();
        _table = _codec.Codebook.Table.ToArray();
        _transposed = NearestCodeword.Transpose(_table, spec.BlockSize, spec.Codewords);
        _rotated = new float[Batch * D];
        _output = new float[Batch * D];
        _norms = new float[Batch];
        _indices = new ushort[Batch * _blocks];
        _codes = new byte[Batch * _size];
        _codec.EncodeBatch(_vectors, _codes);
        for (int i = 0; i < Batch; i++)
        {
            _norms[i] = VectorNorm.NormOrThrow(_vectors.AsSpan(i * D, D), "vector");
            _codec.Rotate(_vectors.AsSpan(i * D, D), _rotated.AsSpan(i * D, D));
            for (int j = 0; j < D; j++) _rotated[i * D + j] /= _norms[i];
            BitPacking.Unpack(_codes.AsSpan(i * _size + 2, _size - 2), spec.IndexBits, _indices.AsSpan(i * _blocks, _blocks));
        }
    }

    /// <summary>The whole <see cref="FibQuantizer.Encode"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public byte Encode()
    {
        for (int i = 0; i < Batch; i++) _codec.Encode(_vectors.AsSpan(i * D, D), _codes.AsSpan(i * _size, _size));
        return _codes[0];
    }

    /// <summary>Stage: ‖x‖₂ with the finiteness check.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public float Norm()
    {
        float sum = 0;
        for (int i = 0; i < Batch; i++) sum += VectorNorm.NormOrThrow(_vectors.AsSpan(i * D, D), "vector");
        return sum;
    }

    /// <summary>Stage: the fp16 norm header.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public byte WriteHeader()
    {
        for (int i = 0; i < Batch; i++) NormHeader.Write(_codes.AsSpan(i * _size, 2), _norms[i], NormFormat.Half);
        return _codes[0];
    }

    /// <summary>Stage: the randomized Hadamard rotation with 1/ν folded in.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public float Rotate()
    {
        float scale = HadamardRotation.Scale(D);
        for (int i = 0; i < Batch; i++) HadamardRotation.Forward(_dims, _signs, scale, 1f / _norms[i], _vectors.AsSpan(i * D, D), _output.AsSpan(i * D, D));
        return _output[0];
    }

    /// <summary>Stage: the exact nearest-codeword search of the d/k blocks.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public ushort Search()
    {
        for (int i = 0; i < Batch; i++) NearestCodeword.FindAll(_dims, _rotated.AsSpan(i * D, D), _transposed, _indices.AsSpan(i * _blocks, _blocks));
        return _indices[0];
    }

    /// <summary>Stage: packing the d/k indices (the pipeline's unchecked packing).</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Encode")]
    public byte Pack()
    {
        for (int i = 0; i < Batch; i++) BitPacking.PackCode(_dims, _indices.AsSpan(i * _blocks, _blocks), _codes.AsSpan(i * _size + 2, _size - 2));
        return _codes[2];
    }

    /// <summary>The whole <see cref="FibQuantizer.Decode"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("Decode")]
    public float Decode()
    {
        for (int i = 0; i < Batch; i++) _codec.Decode(_codes.AsSpan(i * _size, _size), _output.AsSpan(i * D, D));
        return _output[0];
    }

    /// <summary>Stage: reading and checking the norm header.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Decode")]
    public float ReadHeader()
    {
        float sum = 0;
        for (int i = 0; i < Batch; i++) sum += NormHeader.Read(_codes.AsSpan(i * _size, 2), NormFormat.Half);
        return sum;
    }

    /// <summary>Stage: unpacking the d/k indices (with the padding check).</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Decode")]
    public ushort Unpack()
    {
        for (int i = 0; i < Batch; i++) BitPacking.UnpackCode(_dims, _codes.AsSpan(i * _size + 2, _size - 2), _indices.AsSpan(i * _blocks, _blocks));
        return _indices[0];
    }

    /// <summary>Stage: gathering the codewords into the rotated vector.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Decode")]
    public float Gather()
    {
        for (int i = 0; i < Batch; i++) CodewordGather.Gather(_dims, _table, _indices.AsSpan(i * _blocks, _blocks), _rotated.AsSpan(i * D, D));
        return _rotated[0];
    }

    /// <summary>Stage: the inverse rotation with ν folded in.</summary>
    [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Decode")]
    public float InverseRotate()
    {
        float scale = HadamardRotation.Scale(D);
        for (int i = 0; i < Batch; i++) HadamardRotation.Inverse(_dims, _signs, scale, _norms[i], _rotated.AsSpan(i * D, D), _output.AsSpan(i * D, D));
        return _output[0];
    }
}
