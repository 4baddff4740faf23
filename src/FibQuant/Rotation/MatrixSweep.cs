using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Coding;
using FibQuant.Simd;

namespace FibQuant.Rotation;

/// <summary>
/// destination_i = (Σ_j lines[j·d + i] · (source_j · pre)) · post, the sum taken from 0 in the order j = 0…d−1 with a
/// separate multiply and add (never fused) — the column sweep. pre = ν folds decode's scaling into the sweep, post = 1/ν
/// encode's normalisation (both 1 for a plain rotation: exact). Blocked: a tile of outputs stays in registers for the
/// whole sweep over j, so each output sees exactly the scalar sequence of roundings on the 512-, 256-, 128-bit and
/// scalar paths alike.
/// </summary>
internal static class MatrixSweep
{
    /// <summary>The sweep over d = <paramref name="dims"/>.Dimension (a constant for a generated codec).</summary>
    public static void Run<TDims>(in TDims dims, ReadOnlySpan<float> lines, ReadOnlySpan<float> source, Span<float> destination, float pre, float post)
        where TDims : struct, ICodecDimensions
    {
        int d = dims.Dimension;
        ref float m = ref MemoryMarshal.GetReference(lines);
        ref float s = ref MemoryMarshal.GetReference(source);
        ref float o = ref MemoryMarshal.GetReference(destination);
        int i = Tiles<Lanes512, TDims>(in dims, ref m, ref s, ref o, 0, pre, post);
        i = Tiles<Lanes256, TDims>(in dims, ref m, ref s, ref o, i, pre, post);
        i = Tiles<Lanes128, TDims>(in dims, ref m, ref s, ref o, i, pre, post);
        Tiles<ScalarLanes, TDims>(in dims, ref m, ref s, ref o, i, pre, post);
    }

    // Four registers of outputs per sweep where they fit: four independent add chains hide the add latency, and each
    // broadcast of x_j serves four loads. Then one register at a time for the rest.
    internal static int Tiles<TLanes, TDims>(in TDims dims, ref float m, ref float s, ref float o, int i, float pre, float post)
        where TLanes : struct, IFloatLanes<TLanes>
        where TDims : struct, ICodecDimensions
    {
        if (!TLanes.IsAccelerated) return i;
        int d = dims.Dimension;
        TLanes p = TLanes.Broadcast(post);
        nuint c = (nuint)TLanes.Count;
        for (; i + 4 * TLanes.Count <= d; i += 4 * TLanes.Count)
        {
            TLanes a0 = TLanes.Broadcast(0f), a1 = a0, a2 = a0, a3 = a0;
            ref float column = ref Unsafe.Add(ref m, i);
            for (int j = 0; j < d; j++)
            {
                TLanes x = TLanes.Broadcast(Unsafe.Add(ref s, j) * pre);
                a0 += TLanes.Load(ref column, 0) * x;
                a1 += TLanes.Load(ref column, c) * x;
                a2 += TLanes.Load(ref column, 2 * c) * x;
                a3 += TLanes.Load(ref column, 3 * c) * x;
                column = ref Unsafe.Add(ref column, d);
            }

            TLanes.Store(a0 * p, ref o, (nuint)i);
            TLanes.Store(a1 * p, ref o, (nuint)i + c);
            TLanes.Store(a2 * p, ref o, (nuint)i + 2 * c);
            TLanes.Store(a3 * p, ref o, (nuint)i + 3 * c);
        }

        for (; i + TLanes.Count <= d; i += TLanes.Count)
        {
            TLanes a0 = TLanes.Broadcast(0f);
            ref float column = ref Unsafe.Add(ref m, i);
            for (int j = 0; j < d; j++)
            {
                a0 += TLanes.Load(ref column, 0) * TLanes.Broadcast(Unsafe.Add(ref s, j) * pre);
                column = ref Unsafe.Add(ref column, d);
            }

            TLanes.Store(a0 * p, ref o, (nuint)i);
        }

        return i;
    }
}
