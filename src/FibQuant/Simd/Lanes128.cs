using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Simd;

/// <summary>4 float lanes (SSE / AdvSimd).</summary>
internal readonly struct Lanes128 : IFloatLanes<Lanes128>
{
    private readonly Vector128<float> _v;

    private Lanes128(Vector128<float> v) => _v = v;

    public static int Count => Vector128<float>.Count;

    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    public static Lanes128 Indices => new(Vector128.ConvertToSingle(Vector128<int>.Indices));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Broadcast(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Load(ref float source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 LoadEven(ref float source, nuint offset) =>
        new(Vector128.Narrow(Vector128.LoadUnsafe(ref source, offset).AsUInt64(), Vector128.LoadUnsafe(ref source, offset + (nuint)Count).AsUInt64()).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 LoadOdd(ref float source, nuint offset) =>
        new(Vector128.Narrow(
            Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref source, offset).AsUInt64(), 32),
            Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref source, offset + (nuint)Count).AsUInt64(), 32)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes128 value, ref float target, nuint offset) => value._v.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator +(Lanes128 left, Lanes128 right) => new(left._v + right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator -(Lanes128 left, Lanes128 right) => new(left._v - right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator *(Lanes128 left, Lanes128 right) => new(left._v * right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 LessThan(Lanes128 left, Lanes128 right) => new(Vector128.LessThan(left._v, right._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Select(Lanes128 mask, Lanes128 ifTrue, Lanes128 ifFalse) => new(Vector128.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Lane(Lanes128 value, int lane) => value._v.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreAsUInt16(Lanes128 value, ref ushort target, nuint offset) =>
        Vector128.Narrow(Vector128.ConvertToInt32(value._v).AsUInt32(), Vector128<uint>.Zero).GetLower().StoreUnsafe(ref target, offset);

    // Called with constant strides, so the branches and the shuffle and sign vectors fold to constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 HadamardStage(Lanes128 value, int stride)
    {
        Vector128<float> v = value._v;
        if (stride == 1) return Pair(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2)), Vector128.Create(0f, -0f, 0f, -0f));
        return Pair(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)), Vector128.Create(0f, 0f, -0f, -0f));
    }

    // partner + (±v): the high lane of each pair gets partner + (−v), which IEEE defines as partner − v, the low lane
    // partner + v; the sign flip is an exact xor with −0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes128 Pair(Vector128<float> v, Vector128<float> partner, Vector128<float> highSigns) => new(partner + Vector128.Xor(v, highSigns));
}
