using System;
using System.Numerics.Tensors;
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
        _scale = Scale(dimension);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public void Rotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        RotationArguments.Check(Dimension, source, destination);
        Forward(_signs, _scale, source, destination);
    }

    /// <inheritdoc />
    public void InverseRotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        RotationArguments.Check(Dimension, source, destination);
        Inverse(_signs, _scale, source, destination);
    }

    /// <summary>The normalisation s = d^(−3/2) of three unnormalised transforms.</summary>
    internal static float Scale(int dimension) => (float)(1.0 / (dimension * Math.Sqrt(dimension)));

    /// <summary>destination = s · H D₃ H D₂ H D₁ source; the runtime rotation and generated codecs share this kernel.</summary>
    internal static void Forward(ReadOnlySpan<float> signs, float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        int d = source.Length;
        TensorPrimitives.Multiply(source, signs.Slice(0, d), destination);
        WalshHadamard.Transform(destination);
        for (int r = 1; r < RotationDesign.HadamardRounds; r++)
        {
            TensorPrimitives.Multiply(destination, signs.Slice(r * d, d), destination);
            WalshHadamard.Transform(destination);
        }

        TensorPrimitives.Multiply(destination, scale, destination);
    }

    /// <summary>destination = s · D₁ H D₂ H D₃ H source, the transpose of <see cref="Forward"/>.</summary>
    internal static void Inverse(ReadOnlySpan<float> signs, float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        int d = source.Length;
        TensorPrimitives.Multiply(source, scale, destination);
        for (int r = RotationDesign.HadamardRounds - 1; r >= 0; r--)
        {
            WalshHadamard.Transform(destination);
            TensorPrimitives.Multiply(destination, signs.Slice(r * d, d), destination);
        }
    }
}
