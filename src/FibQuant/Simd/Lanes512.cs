using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Simd;

/// <summary>16 float lanes (AVX-512).</summary>
internal readonly struct Lanes512 : IFloatLanes<Lanes512>
{
    private readonly Vector512<float> _v;

    private Lanes512(Vector512<float> v) => _v = v;

    public static int Count => Vector512<float>.Count;

    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    public static Lanes512 Indices => new(Vector512.ConvertToSingle(Vector512<int>.Indices));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Broadcast(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LoadEven(ref float source, nuint offset) =>
        new(Vector512.Narrow(Vector512.LoadUnsafe(ref source, offset).AsUInt64(), Vector512.LoadUnsafe(ref source, offset + (nuint)Count).AsUInt64()).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LoadOdd(ref float source, nuint offset) =>
        new(Vector512.Narrow(
            Vector512.ShiftRightLogical(Vector512.LoadUnsafe(ref source, offset).AsUInt64(), 32),
            Vector512.ShiftRightLogical(Vector512.LoadUnsafe(ref source, offset + (nuint)Count).AsUInt64(), 32)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes512 value, ref float target, nuint offset) => value._v.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 left, Lanes512 right) => new(left._v + right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 left, Lanes512 right) => new(left._v - right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 left, Lanes512 right) => new(left._v * right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LessThan(Lanes512 left, Lanes512 right) => new(Vector512.LessThan(left._v, right._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Select(Lanes512 mask, Lanes512 ifTrue, Lanes512 ifFalse) => new(Vector512.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Lane(Lanes512 value, int lane) => value._v.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreAsUInt16(Lanes512 value, ref ushort target, nuint offset) =>
        Vector512.Narrow(Vector512.ConvertToInt32(value._v).AsUInt32(), Vector512<uint>.Zero).GetLower().StoreUnsafe(ref target, offset);

    // Called with constant strides, so the branches and the shuffle and sign vectors fold to constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 HadamardStage(Lanes512 value, int stride)
    {
        Vector512<float> v = value._v;
        if (stride == 1) return Pair(v, Vector512.Shuffle(v, Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14)), Vector512.Create(0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f));
        if (stride == 2) return Pair(v, Vector512.Shuffle(v, Vector512.Create(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)), Vector512.Create(0f, 0f, -0f, -0f, 0f, 0f, -0f, -0f, 0f, 0f, -0f, -0f, 0f, 0f, -0f, -0f));
        if (stride == 4) return Pair(v, Vector512.Shuffle(v, Vector512.Create(4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11)), Vector512.Create(0f, 0f, 0f, 0f, -0f, -0f, -0f, -0f, 0f, 0f, 0f, 0f, -0f, -0f, -0f, -0f));
        return Pair(v, Vector512.Shuffle(v, Vector512.Create(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)), Vector512.Create(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -0f, -0f, -0f, -0f, -0f, -0f, -0f, -0f));
    }

    // partner + (±v): the high lane of each pair gets partner + (−v), which IEEE defines as partner − v, the low lane
    // partner + v. One fused multiply-add by ±1 (AVX-512 always has it): v · (±1) is exact, so the single rounding is
    // that of the add — the bits of the xor-and-add the narrower paths run, one instruction fewer.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes512 Pair(Vector512<float> v, Vector512<float> partner, Vector512<float> highSigns) =>
        new(Vector512.FusedMultiplyAdd(v, Vector512.Xor(Vector512<float>.One, highSigns), partner));
}
