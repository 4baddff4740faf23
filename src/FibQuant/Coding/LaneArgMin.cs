using System.Runtime.CompilerServices;
using FibQuant.Simd;

namespace FibQuant.Coding;

/// <summary>The lane reduction that ends every nearest-codeword scan.</summary>
internal static class LaneArgMin
{
    /// <summary>
    /// The index of the smallest distance over the lanes and, among equal distances, the smallest index — what a
    /// sequential strict-less scan returns, so the answer does not depend on the register width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Reduce<TLanes>(TLanes best, TLanes bestIndex) where TLanes : struct, IFloatLanes<TLanes>
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
