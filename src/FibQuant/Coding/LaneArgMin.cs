using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using FibQuant.Simd;

namespace FibQuant.Coding;

/// <summary>
/// The lane reduction that ends every nearest-codeword scan: the index of the smallest distance over the lanes and, among
/// equal distances, the smallest index — what a sequential strict-less scan returns, so the answer does not depend on the
/// register width. The pair minimum under (distance, then index) is unique, so any reduction order gives the same answer;
/// the SIMD widths halve 512 → 256 → 128 bits with the register halves and then take the last four lanes, with no
/// data-dependent branches, which matters when a scan is a few registers long (the group scans of the approximate
/// searches) and a lane-by-lane reduction would cost as much as the scan.
/// </summary>
internal static class LaneArgMin
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Reduce<TLanes>(TLanes best, TLanes index) where TLanes : struct, IFloatLanes<TLanes>
    {
        // Lanes512/256/128 are single-register wrappers: reinterpreting them reads that register.
        if (typeof(TLanes) == typeof(Lanes512))
        {
            Vector512<float> b = Unsafe.As<TLanes, Vector512<float>>(ref best), i = Unsafe.As<TLanes, Vector512<float>>(ref index);
            (Vector256<float> b256, Vector256<float> i256) = Lower(b.GetLower(), i.GetLower(), b.GetUpper(), i.GetUpper());
            (Vector128<float> b128, Vector128<float> i128) = Lower(b256.GetLower(), i256.GetLower(), b256.GetUpper(), i256.GetUpper());
            return Last(b128, i128);
        }

        if (typeof(TLanes) == typeof(Lanes256))
        {
            Vector256<float> b = Unsafe.As<TLanes, Vector256<float>>(ref best), i = Unsafe.As<TLanes, Vector256<float>>(ref index);
            (Vector128<float> b128, Vector128<float> i128) = Lower(b.GetLower(), i.GetLower(), b.GetUpper(), i.GetUpper());
            return Last(b128, i128);
        }

        if (typeof(TLanes) == typeof(Lanes128))
            return Last(Unsafe.As<TLanes, Vector128<float>>(ref best), Unsafe.As<TLanes, Vector128<float>>(ref index));
        return Sequential(best, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>) Lower(Vector256<float> b0, Vector256<float> i0, Vector256<float> b1, Vector256<float> i1)
    {
        Vector256<float> take = Vector256.LessThan(b1, b0) | (Vector256.Equals(b1, b0) & Vector256.LessThan(i1, i0));
        return (Vector256.ConditionalSelect(take, b1, b0), Vector256.ConditionalSelect(take, i1, i0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float>, Vector128<float>) Lower(Vector128<float> b0, Vector128<float> i0, Vector128<float> b1, Vector128<float> i1)
    {
        Vector128<float> take = Vector128.LessThan(b1, b0) | (Vector128.Equals(b1, b0) & Vector128.LessThan(i1, i0));
        return (Vector128.ConditionalSelect(take, b1, b0), Vector128.ConditionalSelect(take, i1, i0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Last(Vector128<float> b, Vector128<float> i)
    {
        // Lanes (0, 1) against (2, 3), then lane 0 against lane 1.
        (Vector128<float> b2, Vector128<float> i2) = Lower(b, i, Vector128.Shuffle(b, Vector128.Create(2, 3, 0, 1)), Vector128.Shuffle(i, Vector128.Create(2, 3, 0, 1)));
        (Vector128<float> b1, Vector128<float> i1) = Lower(b2, i2, Vector128.Shuffle(b2, Vector128.Create(1, 0, 3, 2)), Vector128.Shuffle(i2, Vector128.Create(1, 0, 3, 2)));
        return (int)i1.ToScalar();
    }

    private static int Sequential<TLanes>(TLanes best, TLanes bestIndex) where TLanes : struct, IFloatLanes<TLanes>
    {
        float value = TLanes.Lane(best, 0);
        float at = TLanes.Lane(bestIndex, 0);
        for (int lane = 1; lane < TLanes.Count; lane++)
        {
            float candidate = TLanes.Lane(best, lane), candidateIndex = TLanes.Lane(bestIndex, lane);
            if (candidate < value || (candidate == value && candidateIndex < at))
            {
                value = candidate;
                at = candidateIndex;
            }
        }

        return (int)at;
    }
}
