using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using FibQuant.Design;

namespace FibQuant.Rotation;

/// <summary>
/// Randomized Hadamard rotation: u = s · H D₃ H D₂ H D₁ x with random sign diagonals D_r, the unnormalised
/// Walsh–Hadamard matrix H and s = d^(−3/2). O(d log d); d must be a power of two. Each butterfly is one add or
/// subtract, so results do not depend on the vector width.
/// </summary>
public sealed class HadamardRotation : IRotation
{
    private readonly float[] _signs;
    private readonly float _scale;

    /// <summary>Wraps the sign rounds (rounds × d entries of ±1) produced by the codebook design.</summary>
    public HadamardRotation(int dimension, ReadOnlySpan<float> signs)
    {
        if (dimension < 2 || (dimension & (dimension - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The Hadamard rotation needs a power-of-two dimension >= 2.");
        if (signs.Length != RotationDesign.HadamardRounds * dimension)
            throw new ArgumentException($"signs must have {RotationDesign.HadamardRounds}·d = {RotationDesign.HadamardRounds * dimension} entries, got {signs.Length}.", nameof(signs));
        foreach (float s in signs)
        {
            if (s != 1f && s != -1f) throw new ArgumentException("signs must all be +1 or -1.", nameof(signs));
        }

        Dimension = dimension;
        _signs = signs.ToArray();
        _scale = (float)(1.0 / (dimension * Math.Sqrt(dimension)));
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public void Rotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        int d = Dimension;
        RotationArguments.Check(d, source, destination);
        ReadOnlySpan<float> signs = _signs;
        TensorPrimitives.Multiply(source, signs.Slice(0, d), destination);
        WalshHadamard.Transform(destination);
        for (int r = 1; r < RotationDesign.HadamardRounds; r++)
        {
            TensorPrimitives.Multiply(destination, signs.Slice(r * d, d), destination);
            WalshHadamard.Transform(destination);
        }

        TensorPrimitives.Multiply(destination, _scale, destination);
    }

    /// <inheritdoc />
    public void InverseRotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        int d = Dimension;
        RotationArguments.Check(d, source, destination);
        ReadOnlySpan<float> signs = _signs;
        TensorPrimitives.Multiply(source, _scale, destination);
        for (int r = RotationDesign.HadamardRounds - 1; r >= 0; r--)
        {
            WalshHadamard.Transform(destination);
            TensorPrimitives.Multiply(destination, signs.Slice(r * d, d), destination);
        }
    }
}
