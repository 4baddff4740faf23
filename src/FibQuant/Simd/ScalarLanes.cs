using System;
using System.Runtime.CompilerServices;

namespace FibQuant.Simd;

/// <summary>One float lane: the path without hardware intrinsics, and the remainder after the widest registers.</summary>
internal readonly struct ScalarLanes : IFloatLanes<ScalarLanes>
{
    private readonly float _v;

    private ScalarLanes(float v) => _v = v;

    public static int Count => 1;

    public static bool IsAccelerated => true;

    public static ScalarLanes Indices => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Broadcast(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Load(ref float source, nuint offset) => new(Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes LoadEven(ref float source, nuint offset) => new(Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes LoadOdd(ref float source, nuint offset) => new(Unsafe.Add(ref source, offset + 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ScalarLanes value, ref float target, nuint offset) => Unsafe.Add(ref target, offset) = value._v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator +(ScalarLanes left, ScalarLanes right) => new(left._v + right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator -(ScalarLanes left, ScalarLanes right) => new(left._v - right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator *(ScalarLanes left, ScalarLanes right) => new(left._v * right._v);

    // The mask is the float with all bits set (a NaN), as the vector comparisons produce; Select only tests it for zero.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes LessThan(ScalarLanes left, ScalarLanes right) => new(left._v < right._v ? BitConverter.Int32BitsToSingle(-1) : 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Select(ScalarLanes mask, ScalarLanes ifTrue, ScalarLanes ifFalse) =>
        BitConverter.SingleToInt32Bits(mask._v) != 0 ? ifTrue : ifFalse;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Lane(ScalarLanes value, int lane) => value._v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreAsUInt16(ScalarLanes value, ref ushort target, nuint offset) => Unsafe.Add(ref target, offset) = (ushort)value._v;

    // A single lane has no stride inside the register; kernels only call this for stride < Count.
    public static ScalarLanes HadamardStage(ScalarLanes value, int stride) => throw new NotSupportedException("A single lane has no in-register stage.");
}
