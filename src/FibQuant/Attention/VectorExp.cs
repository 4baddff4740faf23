using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Attention;

/// <summary>
/// exp over 16 floats for the softmax numerators of the 4-bit value pass, in fp32 throughout (Cephes expf: Cody–Waite
/// reduction by ln 2, degree-5 polynomial, 2^n through the exponent bits): within 2 ulp of exp for arguments above
/// <see cref="Underflow"/> and exactly 0 below it. TensorPrimitives.Exp widens float to double, several times the cost
/// of the pass it feeds.
/// </summary>
internal static class VectorExp
{
    /// <summary>Below this argument exp(x) would leave the normal range; the result is 0.</summary>
    public const float Underflow = -87.3f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.Max(Vector512.Min(x, Vector512.Create(88f)), Vector512.Create(Underflow));
        Vector512<float> n = Vector512.Round(clamped * Vector512.Create(1.44269504088896341f));
        // ln 2 in two parts: n · 0.693359375 is exact for |n| < 2^12, so r keeps its low bits.
        Vector512<float> r = clamped - n * Vector512.Create(0.693359375f) - n * Vector512.Create(-2.12194440e-4f);
        Vector512<float> p = Vector512.Create(1.9875691500e-4f);
        p = p * r + Vector512.Create(1.3981999507e-3f);
        p = p * r + Vector512.Create(8.3334519073e-3f);
        p = p * r + Vector512.Create(4.1665795894e-2f);
        p = p * r + Vector512.Create(1.6666665459e-1f);
        p = p * r + Vector512.Create(5.0000001201e-1f);
        p = p * (r * r) + r + Vector512<float>.One;
        Vector512<float> scale = (Vector512.ConvertToInt32(n) + Vector512.Create(127) << 23).AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Underflow)), Vector512<float>.Zero, p * scale);
    }
}
