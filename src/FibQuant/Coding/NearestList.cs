using System;

namespace FibQuant.Coding;

/// <summary>A short list of the smallest keys seen so far, ascending, for the probe selection of approximate searches.</summary>
internal static class NearestList
{
    /// <summary>Empties the list (every slot +∞).</summary>
    public static void Reset(Span<float> keys) => keys.Fill(float.PositiveInfinity);

    /// <summary>Inserts (key, id) when key is below the current worst; equal keys keep the earlier entry first.</summary>
    public static void Offer(Span<float> keys, Span<int> ids, float key, int id)
    {
        if (key >= keys[^1]) return;
        int at = keys.Length - 1;
        while (at > 0 && keys[at - 1] > key)
        {
            keys[at] = keys[at - 1];
            ids[at] = ids[at - 1];
            at--;
        }

        keys[at] = key;
        ids[at] = id;
    }
}
