using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Rotation;

/// <summary>
/// destination_i = Σ_j lines[j·d + i] · source_j, summed from 0 in the order j = 0…d−1 with a separate multiply and add
/// (never fused) — the column sweep. Blocked: a tile of outputs stays in registers for the whole sweep over j, so each
/// output sees exactly the scalar sequence of roundings on the 512-, 256-, 128-bit and scalar paths alike.
/// </summary>
internal static class MatrixSweep
{
    public static void Run(ReadOnlySpan<float> lines, ReadOnlySpan<float> source, Span<float> destination)
    {
        int d = source.Length;
        ref float m = ref MemoryMarshal.GetReference(lines);
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float o = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 2 * Vector512<float>.Count <= d; i += 2 * Vector512<float>.Count) Tile512x2(ref m, ref s, ref o, d, i);
            for (; i + Vector512<float>.Count <= d; i += Vector512<float>.Count) Tile512(ref m, ref s, ref o, d, i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 2 * Vector256<float>.Count <= d; i += 2 * Vector256<float>.Count) Tile256x2(ref m, ref s, ref o, d, i);
            for (; i + Vector256<float>.Count <= d; i += Vector256<float>.Count) Tile256(ref m, ref s, ref o, d, i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<float>.Count <= d; i += Vector128<float>.Count) Tile128(ref m, ref s, ref o, d, i);
        }

        for (; i < d; i++)
        {
            float acc = 0f;
            for (int j = 0; j < d; j++) acc += Unsafe.Add(ref m, j * d + i) * Unsafe.Add(ref s, j);
            Unsafe.Add(ref o, i) = acc;
        }
    }

    private static void Tile512x2(ref float m, ref float s, ref float o, int d, int i)
    {
        var a0 = Vector512<float>.Zero;
        var a1 = Vector512<float>.Zero;
        ref float column = ref Unsafe.Add(ref m, i);
        for (int j = 0; j < d; j++)
        {
            var x = Vector512.Create(Unsafe.Add(ref s, j));
            a0 += Vector512.LoadUnsafe(ref column) * x;
            a1 += Vector512.LoadUnsafe(ref column, (nuint)Vector512<float>.Count) * x;
            column = ref Unsafe.Add(ref column, d);
        }

        a0.StoreUnsafe(ref o, (nuint)i);
        a1.StoreUnsafe(ref o, (nuint)(i + Vector512<float>.Count));
    }

    private static void Tile512(ref float m, ref float s, ref float o, int d, int i)
    {
        var a0 = Vector512<float>.Zero;
        ref float column = ref Unsafe.Add(ref m, i);
        for (int j = 0; j < d; j++)
        {
            a0 += Vector512.LoadUnsafe(ref column) * Vector512.Create(Unsafe.Add(ref s, j));
            column = ref Unsafe.Add(ref column, d);
        }

        a0.StoreUnsafe(ref o, (nuint)i);
    }

    private static void Tile256x2(ref float m, ref float s, ref float o, int d, int i)
    {
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        ref float column = ref Unsafe.Add(ref m, i);
        for (int j = 0; j < d; j++)
        {
            var x = Vector256.Create(Unsafe.Add(ref s, j));
            a0 += Vector256.LoadUnsafe(ref column) * x;
            a1 += Vector256.LoadUnsafe(ref column, (nuint)Vector256<float>.Count) * x;
            column = ref Unsafe.Add(ref column, d);
        }

        a0.StoreUnsafe(ref o, (nuint)i);
        a1.StoreUnsafe(ref o, (nuint)(i + Vector256<float>.Count));
    }

    private static void Tile256(ref float m, ref float s, ref float o, int d, int i)
    {
        var a0 = Vector256<float>.Zero;
        ref float column = ref Unsafe.Add(ref m, i);
        for (int j = 0; j < d; j++)
        {
            a0 += Vector256.LoadUnsafe(ref column) * Vector256.Create(Unsafe.Add(ref s, j));
            column = ref Unsafe.Add(ref column, d);
        }

        a0.StoreUnsafe(ref o, (nuint)i);
    }

    private static void Tile128(ref float m, ref float s, ref float o, int d, int i)
    {
        var a0 = Vector128<float>.Zero;
        ref float column = ref Unsafe.Add(ref m, i);
        for (int j = 0; j < d; j++)
        {
            a0 += Vector128.LoadUnsafe(ref column) * Vector128.Create(Unsafe.Add(ref s, j));
            column = ref Unsafe.Add(ref column, d);
        }

        a0.StoreUnsafe(ref o, (nuint)i);
    }
}
