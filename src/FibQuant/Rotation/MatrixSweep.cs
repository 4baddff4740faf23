using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Simd;

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
        int i = Tiles<Lanes512>(ref m, ref s, ref o, d, 0);
        i = Tiles<Lanes256>(ref m, ref s, ref o, d, i);
        i = Tiles<Lanes128>(ref m, ref s, ref o, d, i);
        Tiles<ScalarLanes>(ref m, ref s, ref o, d, i);
    }

    // Two registers of outputs per sweep where they fit (half the loads of x per output), then one.
    internal static int Tiles<TLanes>(ref float m, ref float s, ref float o, int d, int i) where TLanes : struct, IFloatLanes<TLanes>
    {
        if (!TLanes.IsAccelerated) return i;
        for (; i + 2 * TLanes.Count <= d; i += 2 * TLanes.Count)
        {
            TLanes a0 = TLanes.Broadcast(0f), a1 = a0;
            ref float column = ref Unsafe.Add(ref m, i);
            for (int j = 0; j < d; j++)
            {
                TLanes x = TLanes.Broadcast(Unsafe.Add(ref s, j));
                a0 += TLanes.Load(ref column, 0) * x;
                a1 += TLanes.Load(ref column, (nuint)TLanes.Count) * x;
                column = ref Unsafe.Add(ref column, d);
            }

            TLanes.Store(a0, ref o, (nuint)i);
            TLanes.Store(a1, ref o, (nuint)(i + TLanes.Count));
        }

        for (; i + TLanes.Count <= d; i += TLanes.Count)
        {
            TLanes a0 = TLanes.Broadcast(0f);
            ref float column = ref Unsafe.Add(ref m, i);
            for (int j = 0; j < d; j++)
            {
                a0 += TLanes.Load(ref column, 0) * TLanes.Broadcast(Unsafe.Add(ref s, j));
                column = ref Unsafe.Add(ref column, d);
            }

            TLanes.Store(a0, ref o, (nuint)i);
        }

        return i;
    }
}
