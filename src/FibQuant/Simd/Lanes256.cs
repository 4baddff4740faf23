using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Simd;

/// <summary>8 float lanes (AVX2).</summary>
internal readonly struct Lanes256 : IFloatLanes<Lanes256>
{
    private readonly Vector256<float> _v;

    private Lanes256(Vector256<float> v) => _v = v;

    public static int Count => Vector256<float>.Count;

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    public static Lanes256 Indices => new(Vector256.ConvertToSingle(Vector256<int>.Indices));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Broadcast(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LoadEven(ref float source, nuint offset) =>
        new(Vector256.Narrow(Vector256.LoadUnsafe(ref source, offset).AsUInt64(), Vector256.LoadUnsafe(ref source, offset + (nuint)Count).AsUInt64()).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LoadOdd(ref float source, nuint offset) =>
        new(Vector256.Narrow(
            Vector256.ShiftRightLogical(Vector256.LoadUnsafe(ref source, offset).AsUInt64(), 32),
            Vector256.ShiftRightLogical(Vector256.LoadUnsafe(ref source, offset + (nuint)Count).AsUInt64(), 32)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes256 value, ref float target, nuint offset) => value._v.StoreUnsafe(ref target, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 left, Lanes256 right) => new(left._v + right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 left, Lanes256 right) => new(left._v - right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 left, Lanes256 right) => new(left._v * right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LessThan(Lanes256 left, Lanes256 right) => new(Vector256.LessThan(left._v, right._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Select(Lanes256 mask, Lanes256 ifTrue, Lanes256 ifFalse) => new(Vector256.ConditionalSelect(mask._v, ifTrue._v, ifFalse._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Lane(Lanes256 value, int lane) => value._v.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreAsUInt16(Lanes256 value, ref ushort target, nuint offset) =>
        Vector256.Narrow(Vector256.ConvertToInt32(value._v).AsUInt32(), Vector256<uint>.Zero).GetLower().StoreUnsafe(ref target, offset);

    // Called with constant strides, so the branches and the shuffle and sign vectors fold to constants.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 HadamardStage(Lanes256 value, int stride)
    {
        Vector256<float> v = value._v;
        if (stride == 1) return Pair(v, Vector256.Shuffle(v, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)), Vector256.Create(0f, -0f, 0f, -0f, 0f, -0f, 0f, -0f));
        if (stride == 2) return Pair(v, Vector256.Shuffle(v, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)), Vector256.Create(0f, 0f, -0f, -0f, 0f, 0f, -0f, -0f));
        return Pair(v, Vector256.Shuffle(v, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3)), Vector256.Create(0f, 0f, 0f, 0f, -0f, -0f, -0f, -0f));
    }

    // partner + (±v): the high lane of each pair gets partner + (−v), which IEEE defines as partner − v, the low lane
    // partner + v. With FMA: one fused multiply-add by ±1 (v · (±1) is exact, so the single rounding is that of the
    // add); without: the sign flip is an exact xor with −0. Same bits either way.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes256 Pair(Vector256<float> v, Vector256<float> partner, Vector256<float> highSigns) => Fma.IsSupported
        ? new(Vector256.FusedMultiplyAdd(v, Vector256.Xor(Vector256<float>.One, highSigns), partner))
        : new(partner + Vector256.Xor(v, highSigns));
}
