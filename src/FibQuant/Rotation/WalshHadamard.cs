using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Simd;

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
        if (Lanes512.IsAccelerated && n >= Lanes512.Count) Transform<Lanes512>(ref start, n);
        else if (Lanes256.IsAccelerated && n >= Lanes256.Count) Transform<Lanes256>(ref start, n);
        else if (Lanes128.IsAccelerated && n >= Lanes128.Count) Transform<Lanes128>(ref start, n);
        else Transform<ScalarLanes>(ref start, n);
    }

    // n ≥ Count. Strides below the register width only mix values inside one register: all of them run per register
    // (the same sums in the same stage order); the wider strides are register-to-register butterflies.
    internal static void Transform<TLanes>(ref float start, int n) where TLanes : struct, IFloatLanes<TLanes>
    {
        if (TLanes.Count > 1)
        {
            for (int i = 0; i < n; i += TLanes.Count)
            {
                TLanes v = TLanes.Load(ref start, (nuint)i);
                for (int stride = 1; stride < TLanes.Count; stride <<= 1) v = TLanes.HadamardStage(v, stride);
                TLanes.Store(v, ref start, (nuint)i);
            }
        }

        for (int h = TLanes.Count; h < n; h <<= 1)
        {
            for (int i = 0; i < n; i += h << 1)
            {
                for (int j = 0; j < h; j += TLanes.Count) Butterfly<TLanes>(ref Unsafe.Add(ref start, i + j), h);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<TLanes>(ref float a, int h) where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes x = TLanes.Load(ref a, 0);
        TLanes y = TLanes.Load(ref a, (nuint)h);
        TLanes.Store(x + y, ref a, 0);
        TLanes.Store(x - y, ref a, (nuint)h);
    }
}
