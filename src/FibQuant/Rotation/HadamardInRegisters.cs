using System.Runtime.CompilerServices;
using FibQuant.Design;
using FibQuant.Simd;

namespace FibQuant.Rotation;

/// <summary>
/// The randomized Hadamard rotation of a vector that fills exactly eight registers (d = 128 on the 512-bit path, 64 on
/// the 256-bit, 32 on the 128-bit): the values are loaded once, stay in registers through the three rounds and are stored
/// once, where <see cref="HadamardRotation"/>'s general passes store and reload them between stages. The arithmetic is
/// the general passes' own, operation for operation (sign multiply, in-register stages, the cross-register butterflies
/// of stride Count, 2·Count, 4·Count — radix-4 then radix-2 there, the same adds and subtracts), so the bits are equal.
/// </summary>
internal static class HadamardInRegisters
{
    /// <summary>Registers the whole vector takes on this width.</summary>
    public const int Registers = 8;

    /// <summary>destination = (s · H D₃ H D₂ H D₁ source) · post, for d = 8 · Count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward<TLanes>(ref float signs, float scale, float post, ref float source, ref float destination)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        nuint c = (nuint)TLanes.Count, d = Registers * c;
        TLanes r0 = TLanes.Load(ref source, 0), r1 = TLanes.Load(ref source, c), r2 = TLanes.Load(ref source, 2 * c), r3 = TLanes.Load(ref source, 3 * c);
        TLanes r4 = TLanes.Load(ref source, 4 * c), r5 = TLanes.Load(ref source, 5 * c), r6 = TLanes.Load(ref source, 6 * c), r7 = TLanes.Load(ref source, 7 * c);
        for (int r = 0; r < RotationDesign.HadamardRounds; r++)
        {
            ref float round = ref Unsafe.Add(ref signs, (nuint)r * d);
            Round(ref round, c, ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        }

        TLanes s = TLanes.Broadcast(scale), p = TLanes.Broadcast(post);
        TLanes.Store(r0 * s * p, ref destination, 0);
        TLanes.Store(r1 * s * p, ref destination, c);
        TLanes.Store(r2 * s * p, ref destination, 2 * c);
        TLanes.Store(r3 * s * p, ref destination, 3 * c);
        TLanes.Store(r4 * s * p, ref destination, 4 * c);
        TLanes.Store(r5 * s * p, ref destination, 5 * c);
        TLanes.Store(r6 * s * p, ref destination, 6 * c);
        TLanes.Store(r7 * s * p, ref destination, 7 * c);
    }

    /// <summary>destination = s · D₁ H D₂ H D₃ H (source · pre), for d = 8 · Count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Inverse<TLanes>(ref float signs, float scale, float pre, ref float source, ref float destination)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        nuint c = (nuint)TLanes.Count, d = Registers * c;
        TLanes a = TLanes.Broadcast(pre), s = TLanes.Broadcast(scale);
        TLanes r0 = TLanes.Load(ref source, 0) * a * s, r1 = TLanes.Load(ref source, c) * a * s;
        TLanes r2 = TLanes.Load(ref source, 2 * c) * a * s, r3 = TLanes.Load(ref source, 3 * c) * a * s;
        TLanes r4 = TLanes.Load(ref source, 4 * c) * a * s, r5 = TLanes.Load(ref source, 5 * c) * a * s;
        TLanes r6 = TLanes.Load(ref source, 6 * c) * a * s, r7 = TLanes.Load(ref source, 7 * c) * a * s;
        Transform(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        for (int r = RotationDesign.HadamardRounds - 1; r > 0; r--)
        {
            ref float round = ref Unsafe.Add(ref signs, (nuint)r * d);
            Round(ref round, c, ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        }

        TLanes.Store(r0 * TLanes.Load(ref signs, 0), ref destination, 0);
        TLanes.Store(r1 * TLanes.Load(ref signs, c), ref destination, c);
        TLanes.Store(r2 * TLanes.Load(ref signs, 2 * c), ref destination, 2 * c);
        TLanes.Store(r3 * TLanes.Load(ref signs, 3 * c), ref destination, 3 * c);
        TLanes.Store(r4 * TLanes.Load(ref signs, 4 * c), ref destination, 4 * c);
        TLanes.Store(r5 * TLanes.Load(ref signs, 5 * c), ref destination, 5 * c);
        TLanes.Store(r6 * TLanes.Load(ref signs, 6 * c), ref destination, 6 * c);
        TLanes.Store(r7 * TLanes.Load(ref signs, 7 * c), ref destination, 7 * c);
    }

    // One round: the sign multiply, then H.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round<TLanes>(ref float round, nuint c,
        ref TLanes r0, ref TLanes r1, ref TLanes r2, ref TLanes r3, ref TLanes r4, ref TLanes r5, ref TLanes r6, ref TLanes r7)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        r0 *= TLanes.Load(ref round, 0);
        r1 *= TLanes.Load(ref round, c);
        r2 *= TLanes.Load(ref round, 2 * c);
        r3 *= TLanes.Load(ref round, 3 * c);
        r4 *= TLanes.Load(ref round, 4 * c);
        r5 *= TLanes.Load(ref round, 5 * c);
        r6 *= TLanes.Load(ref round, 6 * c);
        r7 *= TLanes.Load(ref round, 7 * c);
        Transform(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
    }

    // H over the eight registers: the in-register stages, then strides Count, 2·Count, 4·Count.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transform<TLanes>(ref TLanes r0, ref TLanes r1, ref TLanes r2, ref TLanes r3, ref TLanes r4, ref TLanes r5, ref TLanes r6, ref TLanes r7)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes x0 = WalshHadamard.InRegister(r0), x1 = WalshHadamard.InRegister(r1), x2 = WalshHadamard.InRegister(r2), x3 = WalshHadamard.InRegister(r3);
        TLanes x4 = WalshHadamard.InRegister(r4), x5 = WalshHadamard.InRegister(r5), x6 = WalshHadamard.InRegister(r6), x7 = WalshHadamard.InRegister(r7);
        TLanes b0 = x0 + x1, b1 = x0 - x1, b2 = x2 + x3, b3 = x2 - x3, b4 = x4 + x5, b5 = x4 - x5, b6 = x6 + x7, b7 = x6 - x7;
        TLanes c0 = b0 + b2, c1 = b1 + b3, c2 = b0 - b2, c3 = b1 - b3, c4 = b4 + b6, c5 = b5 + b7, c6 = b4 - b6, c7 = b5 - b7;
        r0 = c0 + c4;
        r1 = c1 + c5;
        r2 = c2 + c6;
        r3 = c3 + c7;
        r4 = c0 - c4;
        r5 = c1 - c5;
        r6 = c2 - c6;
        r7 = c3 - c7;
    }
}
