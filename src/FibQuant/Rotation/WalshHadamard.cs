using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Rotation;

/// <summary>In-place unnormalised fast Walsh–Hadamard transform (length a power of two).</summary>
public static class WalshHadamard
{
    /// <summary>Transforms <paramref name="values"/> in place: values ← H · values.</summary>
    public static void Transform(Span<float> values)
    {
        int n = values.Length;
        if (n == 0 || (n & (n - 1)) != 0)
            throw new ArgumentException($"values length must be a power of two, got {n}.", nameof(values));

        ref float start = ref MemoryMarshal.GetReference(values);
        for (int h = 1; h < n; h <<= 1)
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
