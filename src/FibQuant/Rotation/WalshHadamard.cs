using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Rotation;

/// <summary>
/// In-place unnormalised fast Walsh–Hadamard transform (length a power of two). Every butterfly is one add and one
/// subtract of the same two values whatever the path, so the result is bit-identical on every instruction set.
/// </summary>
public static class WalshHadamard
{
    /// <summary>Transforms <paramref name="values"/> in place: values ← H · values.</summary>
    public static void Transform(Span<float> values)
    {
        int n = values.Length;
        if (n == 0 || (n & (n - 1)) != 0)
            throw new ArgumentException($"values length must be a power of two, got {n}.", nameof(values));

        ref float start = ref MemoryMarshal.GetReference(values);
        int h = 1;
        // Strides below the vector width only mix values inside one register: run them all per register (same values).
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            for (int i = 0; i < n; i += Vector256<float>.Count) SmallStrides256(ref Unsafe.Add(ref start, i));
            h = Vector256<float>.Count;
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            for (int i = 0; i < n; i += Vector128<float>.Count) SmallStrides128(ref Unsafe.Add(ref start, i));
            h = Vector128<float>.Count;
        }

        for (; h < n; h <<= 1)
        {
            for (int i = 0; i < n; i += h << 1)
            {
                int j = 0;
                if (Vector512.IsHardwareAccelerated && h >= Vector512<float>.Count)
                {
                    for (; j < h; j += Vector512<float>.Count) Butterfly512(ref Unsafe.Add(ref start, i + j), h);
                }
                else if (Vector256.IsHardwareAccelerated && h >= Vector256<float>.Count)
                {
                    for (; j < h; j += Vector256<float>.Count) Butterfly256(ref Unsafe.Add(ref start, i + j), h);
                }
                else if (Vector128.IsHardwareAccelerated && h >= Vector128<float>.Count)
                {
                    for (; j < h; j += Vector128<float>.Count) Butterfly128(ref Unsafe.Add(ref start, i + j), h);
                }

                for (; j < h; j++)
                {
                    ref float a = ref Unsafe.Add(ref start, i + j);
                    ref float b = ref Unsafe.Add(ref a, h);
                    float x = a;
                    float y = b;
                    a = x + y;
                    b = x - y;
                }
            }
        }
    }

    // Strides 1, 2, 4 inside 8 lanes. Lane i with partner p = i ^ h: low lane keeps v_i + v_p, high lane v_p − v_i.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SmallStrides256(ref float a)
    {
        var v = Vector256.LoadUnsafe(ref a);
        v = Stage256(v, Vector256.Shuffle(v, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)), Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1));
        v = Stage256(v, Vector256.Shuffle(v, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)), Vector256.Create(0, 0, -1, -1, 0, 0, -1, -1));
        v = Stage256(v, Vector256.Shuffle(v, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3)), Vector256.Create(0, 0, 0, 0, -1, -1, -1, -1));
        v.StoreUnsafe(ref a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Stage256(Vector256<float> v, Vector256<float> partner, Vector256<int> high) =>
        Vector256.ConditionalSelect(high.AsSingle(), partner - v, v + partner);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SmallStrides128(ref float a)
    {
        var v = Vector128.LoadUnsafe(ref a);
        v = Stage128(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2)), Vector128.Create(0, -1, 0, -1));
        v = Stage128(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)), Vector128.Create(0, 0, -1, -1));
        v.StoreUnsafe(ref a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Stage128(Vector128<float> v, Vector128<float> partner, Vector128<int> high) =>
        Vector128.ConditionalSelect(high.AsSingle(), partner - v, v + partner);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly512(ref float a, int h)
    {
        var x = Vector512.LoadUnsafe(ref a);
        var y = Vector512.LoadUnsafe(ref a, (nuint)h);
        (x + y).StoreUnsafe(ref a);
        (x - y).StoreUnsafe(ref a, (nuint)h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly256(ref float a, int h)
    {
        var x = Vector256.LoadUnsafe(ref a);
        var y = Vector256.LoadUnsafe(ref a, (nuint)h);
        (x + y).StoreUnsafe(ref a);
        (x - y).StoreUnsafe(ref a, (nuint)h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly128(ref float a, int h)
    {
        var x = Vector128.LoadUnsafe(ref a);
        var y = Vector128.LoadUnsafe(ref a, (nuint)h);
        (x + y).StoreUnsafe(ref a);
        (x - y).StoreUnsafe(ref a, (nuint)h);
    }
}
