using BenchmarkDotNet.Attributes;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Benchmarks;

/// <summary>One rotation Π·x and one inverse Πᵀ·y (Haar: blocked dense sweep; Hadamard: 3 rounds of signs + FWHT).</summary>
[MemoryDiagnoser]
public class RotationBenchmarks
{
    private IRotation _rotation = null!;
    private float[] _source = null!;
    private float[] _destination = null!;

    /// <summary>Vector length d.</summary>
    [Params(64, 128)]
    public int Dimension { get; set; }

    /// <summary>The rotation measured.</summary>
    [Params(RotationKind.Haar, RotationKind.Hadamard)]
    public RotationKind Rotation { get; set; }

    /// <summary>Builds the rotation from the seeded design.</summary>
    [GlobalSetup]
    public void Setup()
    {
        float[] data = RotationDesign.Create(Rotation, Dimension, CodecCatalog.Seed);
        _rotation = Rotation == RotationKind.Haar ? new HaarRotation(Dimension, data) : new HadamardRotation(Dimension, data);
        _source = BenchmarkData.Gaussian(1, Dimension, 13);
        _destination = new float[Dimension];
    }

    /// <summary>destination = Π · source.</summary>
    [Benchmark(Baseline = true)]
    public float Rotate()
    {
        _rotation.Rotate(_source, _destination);
        return _destination[0];
    }

    /// <summary>destination = Πᵀ · source.</summary>
    [Benchmark]
    public float InverseRotate()
    {
        _rotation.InverseRotate(_source, _destination);
        return _destination[0];
    }
}
