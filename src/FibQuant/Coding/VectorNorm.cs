using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Simd;

namespace FibQuant.Coding;

/// <summary>
/// ‖x‖₂ for the norm header, in an order every path computes bit for bit: 16 running float sums s_l of x_i² over
/// i ≡ l (mod 16) (i &lt; 16·⌊d/16⌋; multiply then add, never fused), combined by the fixed tree
/// s_l ← s_l + s_(l+w) for w = 8, 4, 2, 1, then the tail in index order, then a correctly rounded square root. One
/// register holds the 16 sums on the 512-bit path, two or four on the narrower ones. The 16 independent chains are what
/// makes it fast; a single sequential sum is a chain of d dependent adds.
/// </summary>
internal static class VectorNorm
{
    private const int Sums = 16;

    // Below this sum of squares some x_i² may have lost bits to underflow, above float.MaxValue it overflowed: such
    // (rare) vectors take the exact double-precision sum instead, which the decision itself keeps deterministic.
    private const float SmallestReliable = 1f / (1L << 60); // 2^-60

    /// <summary>‖x‖₂; throws naming <paramref name="parameterName"/> on NaN or ±∞.</summary>
    [SkipLocalsInit]
    public static float NormOrThrow(ReadOnlySpan<float> vector, string parameterName)
    {
        Span<float> sums = stackalloc float[Sums];
        ref float x = ref MemoryMarshal.GetReference(vector);
        ref float s = ref MemoryMarshal.GetReference(sums);
        int whole = vector.Length & ~(Sums - 1);
        if (Lanes512.IsAccelerated) Columns<Lanes512>(ref x, whole, ref s);
        else if (Lanes256.IsAccelerated) Columns<Lanes256>(ref x, whole, ref s);
        else if (Lanes128.IsAccelerated) Columns<Lanes128>(ref x, whole, ref s);
        else Columns<ScalarLanes>(ref x, whole, ref s);

        for (int width = Sums / 2; width > 0; width >>= 1)
        {
            for (int l = 0; l < width; l++) Unsafe.Add(ref s, l) += Unsafe.Add(ref s, l + width);
        }

        float sum = s;
        for (int i = whole; i < vector.Length; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref x, i);
        if (sum >= SmallestReliable && sum <= float.MaxValue) return MathF.Sqrt(sum);
        return SequentialDouble(vector, parameterName);
    }

    // Register r covers sums r·Count … r·Count + Count − 1; registers are independent, so their order does not matter.
    private static void Columns<TLanes>(ref float x, int whole, ref float sums) where TLanes : struct, IFloatLanes<TLanes>
    {
        for (int l = 0; l < Sums; l += TLanes.Count)
        {
            TLanes acc = TLanes.Broadcast(0f);
            for (int i = l; i < whole; i += Sums)
            {
                TLanes v = TLanes.Load(ref x, (nuint)i);
                acc += v * v;
            }

            TLanes.Store(acc, ref sums, (nuint)l);
        }
    }

    private static float SequentialDouble(ReadOnlySpan<float> vector, string parameterName)
    {
        double sum = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            double v = vector[i];
            sum += v * v;
        }

        if (!double.IsFinite(sum))
        {
            for (int i = 0; i < vector.Length; i++)
            {
                if (!float.IsFinite(vector[i]))
                    throw new ArgumentException($"{parameterName} holds {vector[i]} at index {i}; only finite values can be encoded.", parameterName);
            }
        }

        return (float)Math.Sqrt(sum);
    }
}
