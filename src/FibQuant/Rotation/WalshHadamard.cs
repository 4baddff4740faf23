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

    /// <summary>The whole transform on one width; n ≥ Count.</summary>
    internal static void Transform<TLanes>(ref float start, int n) where TLanes : struct, IFloatLanes<TLanes>
    {
        for (int i = 0; i < n; i += TLanes.Count) TLanes.Store(InRegister(TLanes.Load(ref start, (nuint)i)), ref start, (nuint)i);
        Across<TLanes>(ref start, n);
    }

    /// <summary>
    /// The stages of stride below the register width: they only mix values inside one register, so they run per
    /// register, in the same stage order as the scalar transform. Unrolled over constant strides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TLanes InRegister<TLanes>(TLanes v) where TLanes : struct, IFloatLanes<TLanes>
    {
        if (TLanes.Count > 1) v = TLanes.HadamardStage(v, 1);
        if (TLanes.Count > 2) v = TLanes.HadamardStage(v, 2);
        if (TLanes.Count > 4) v = TLanes.HadamardStage(v, 4);
        if (TLanes.Count > 8) v = TLanes.HadamardStage(v, 8);
        return v;
    }

    /// <summary>
    /// The stages of stride Count … n/2, register-to-register butterflies. Two stages (h, 2h) run per pass over groups of
    /// four registers: the same adds and subtracts as two separate passes, with half the loads and stores.
    /// Inlined into each pass so that a constant n (a generated codec's d) fixes every loop's trip count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Across<TLanes>(ref float start, int n) where TLanes : struct, IFloatLanes<TLanes>
    {
        int h = TLanes.Count;
        for (; 4 * h <= n; h <<= 2)
        {
            for (int i = 0; i < n; i += 4 * h)
            {
                for (int j = i; j < i + h; j += TLanes.Count) Radix4<TLanes>(ref Unsafe.Add(ref start, j), (nuint)h);
            }
        }

        if (2 * h <= n)
        {
            for (int j = 0; j < h; j += TLanes.Count)
            {
                ref float a = ref Unsafe.Add(ref start, j);
                TLanes x = TLanes.Load(ref a, 0), y = TLanes.Load(ref a, (nuint)h);
                TLanes.Store(x + y, ref a, 0);
                TLanes.Store(x - y, ref a, (nuint)h);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Radix4<TLanes>(ref float a, nuint h) where TLanes : struct, IFloatLanes<TLanes>
    {
        TLanes x0 = TLanes.Load(ref a, 0), x1 = TLanes.Load(ref a, h), x2 = TLanes.Load(ref a, 2 * h), x3 = TLanes.Load(ref a, 3 * h);
        TLanes s01 = x0 + x1, d01 = x0 - x1, s23 = x2 + x3, d23 = x2 - x3;
        TLanes.Store(s01 + s23, ref a, 0);
        TLanes.Store(d01 + d23, ref a, h);
        TLanes.Store(s01 - s23, ref a, 2 * h);
        TLanes.Store(d01 - d23, ref a, 3 * h);
    }
}
