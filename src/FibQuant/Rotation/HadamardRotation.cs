using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Simd;

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

    /// <summary>The sign rounds, rounds × d entries of ±1.</summary>
    internal float[] Signs => _signs;

    /// <inheritdoc />
    public void Rotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        RotationArguments.Check(Dimension, source, destination);
        Forward(new RuntimeDimensions(Dimension, 1, 1), _signs, _scale, 1f, source, destination);
    }

    /// <inheritdoc />
    public void InverseRotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        RotationArguments.Check(Dimension, source, destination);
        Inverse(new RuntimeDimensions(Dimension, 1, 1), _signs, _scale, 1f, source, destination);
    }

    /// <summary>The normalisation s = d^(−3/2) of three unnormalised transforms.</summary>
    internal static float Scale(int dimension) => (float)(1.0 / (dimension * Math.Sqrt(dimension)));

    /// <summary>
    /// destination = (s · H D₃ H D₂ H D₁ source) · post, each multiply rounded separately: post = 1/ν folds encode's
    /// normalisation into the last pass (1 for a plain rotation). Only d = <paramref name="dims"/>.Dimension is read; over
    /// a generated layout it is a constant and every pass runs a fixed number of registers.
    /// </summary>
    internal static void Forward<TDims>(in TDims dims, ReadOnlySpan<float> signs, float scale, float post, ReadOnlySpan<float> source, Span<float> destination)
        where TDims : struct, ICodecDimensions
    {
        int d = dims.Dimension;
        ref float s = ref MemoryMarshal.GetReference(signs);
        ref float x = ref MemoryMarshal.GetReference(source);
        ref float y = ref MemoryMarshal.GetReference(destination);
        if (Lanes512.IsAccelerated && d >= Lanes512.Count) Forward<Lanes512, TDims>(in dims, ref s, scale, post, ref x, ref y);
        else if (Lanes256.IsAccelerated && d >= Lanes256.Count) Forward<Lanes256, TDims>(in dims, ref s, scale, post, ref x, ref y);
        else if (Lanes128.IsAccelerated && d >= Lanes128.Count) Forward<Lanes128, TDims>(in dims, ref s, scale, post, ref x, ref y);
        else Forward<ScalarLanes, TDims>(in dims, ref s, scale, post, ref x, ref y);
    }

    /// <summary>
    /// destination = s · D₁ H D₂ H D₃ H (source · pre), the transpose of <see cref="Forward{TDims}"/>: pre = ν folds decode's
    /// scaling into the first pass (1 for a plain inverse rotation).
    /// </summary>
    internal static void Inverse<TDims>(in TDims dims, ReadOnlySpan<float> signs, float scale, float pre, ReadOnlySpan<float> source, Span<float> destination)
        where TDims : struct, ICodecDimensions
    {
        int d = dims.Dimension;
        ref float s = ref MemoryMarshal.GetReference(signs);
        ref float x = ref MemoryMarshal.GetReference(source);
        ref float y = ref MemoryMarshal.GetReference(destination);
        if (Lanes512.IsAccelerated && d >= Lanes512.Count) Inverse<Lanes512, TDims>(in dims, ref s, scale, pre, ref x, ref y);
        else if (Lanes256.IsAccelerated && d >= Lanes256.Count) Inverse<Lanes256, TDims>(in dims, ref s, scale, pre, ref x, ref y);
        else if (Lanes128.IsAccelerated && d >= Lanes128.Count) Inverse<Lanes128, TDims>(in dims, ref s, scale, pre, ref x, ref y);
        else Inverse<ScalarLanes, TDims>(in dims, ref s, scale, pre, ref x, ref y);
    }

    // Each round's sign multiply is fused into the pass that runs the in-register stages; the values stay in L1 between
    // passes. The order of roundings is the textbook one: signs, butterflies by increasing stride, scale, post.
    internal static void Forward<TLanes, TDims>(in TDims dims, ref float signs, float scale, float post, ref float source, ref float destination)
        where TLanes : struct, IFloatLanes<TLanes>
        where TDims : struct, ICodecDimensions
    {
        int d = dims.Dimension;
        if (d == HadamardInRegisters.Registers * TLanes.Count)
        {
            HadamardInRegisters.Forward<TLanes>(ref signs, scale, post, ref source, ref destination);
            return;
        }

        ref float input = ref source;
        for (int r = 0; r < RotationDesign.HadamardRounds; r++)
        {
            ref float round = ref Unsafe.Add(ref signs, r * d);
            for (int i = 0; i < d; i += TLanes.Count)
            {
                TLanes v = TLanes.Load(ref input, (nuint)i) * TLanes.Load(ref round, (nuint)i);
                TLanes.Store(WalshHadamard.InRegister(v), ref destination, (nuint)i);
            }

            WalshHadamard.Across<TLanes>(ref destination, d);
            input = ref destination;
        }

        TLanes s = TLanes.Broadcast(scale), p = TLanes.Broadcast(post);
        for (int i = 0; i < d; i += TLanes.Count) TLanes.Store(TLanes.Load(ref destination, (nuint)i) * s * p, ref destination, (nuint)i);
    }

    internal static void Inverse<TLanes, TDims>(in TDims dims, ref float signs, float scale, float pre, ref float source, ref float destination)
        where TLanes : struct, IFloatLanes<TLanes>
        where TDims : struct, ICodecDimensions
    {
        int d = dims.Dimension;
        if (d == HadamardInRegisters.Registers * TLanes.Count)
        {
            HadamardInRegisters.Inverse<TLanes>(ref signs, scale, pre, ref source, ref destination);
            return;
        }

        TLanes a = TLanes.Broadcast(pre), s = TLanes.Broadcast(scale);
        for (int i = 0; i < d; i += TLanes.Count)
            TLanes.Store(WalshHadamard.InRegister(TLanes.Load(ref source, (nuint)i) * a * s), ref destination, (nuint)i);
        WalshHadamard.Across<TLanes>(ref destination, d);
        for (int r = RotationDesign.HadamardRounds - 1; r > 0; r--)
        {
            ref float round = ref Unsafe.Add(ref signs, r * d);
            for (int i = 0; i < d; i += TLanes.Count)
            {
                TLanes v = TLanes.Load(ref destination, (nuint)i) * TLanes.Load(ref round, (nuint)i);
                TLanes.Store(WalshHadamard.InRegister(v), ref destination, (nuint)i);
            }

            WalshHadamard.Across<TLanes>(ref destination, d);
        }

        for (int i = 0; i < d; i += TLanes.Count)
            TLanes.Store(TLanes.Load(ref destination, (nuint)i) * TLanes.Load(ref signs, (nuint)i), ref destination, (nuint)i);
    }
}
