using System;

namespace FibQuant.Design;

/// <summary>
/// Elementary functions built only on IEEE-754 basic operations (+ − × ÷ sqrt) and exact bit manipulation,
/// so that a codebook designed on one machine has the same bits on every other machine, in the compiler and at run time.
/// Host libm implementations of exp/log/sin differ across platforms by an ulp, which is enough to change a Lloyd–Max result.
/// </summary>
public static class DeterministicMath
{
    /// <summary>ln 2 split into a high part with trailing zero bits and a low correction (Cody–Waite), so n·ln2 is exact.</summary>
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>π to double precision.</summary>
    public const double Pi = 3.14159265358979323846;

    private const double TwoPiHi = 6.28318530717958623200e+00;
    private const double TwoPiLo = 2.44929359829470635445e-16;

    /// <summary>Natural logarithm. Returns NaN for negative or NaN input, −∞ for zero.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;

        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        if (exponent == 0)
        {
            // Subnormal: scale into the normal range first; 2^54 is exact.
            x *= 18014398509481984.0;
            bits = BitConverter.DoubleToInt64Bits(x);
            exponent = (int)((bits >> 52) & 0x7FF) - 54;
        }

        int e = exponent - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }

        // ln m = 2·atanh(z), z = (m−1)/(m+1), |z| ≤ 0.1716: the odd series converges to full precision in ~14 terms.
        double z = (m - 1.0) / (m + 1.0);
        double z2 = z * z;
        double term = z;
        double sum = z;
        for (int n = 3; n < 60; n += 2)
        {
            term *= z2;
            double next = sum + term / n;
            if (next == sum) break;
            sum = next;
        }

        return e * Ln2Hi + (2.0 * sum + e * Ln2Lo);
    }

    /// <summary>e raised to <paramref name="x"/>.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.782712893384) return double.PositiveInfinity;
        if (x < -745.1332191019412) return 0.0;

        double nd = Floor(x * InvLn2 + 0.5);
        int n = (int)nd;
        double r = (x - nd * Ln2Hi) - nd * Ln2Lo;

        // Taylor series of e^r for |r| ≤ ln2/2 ≈ 0.35: terms vanish below an ulp after ~18 steps.
        double term = 1.0;
        double sum = 1.0;
        for (int i = 1; i < 40; i++)
        {
            term *= r / i;
            double next = sum + term;
            if (next == sum) break;
            sum = next;
        }

        return ScaleByPowerOfTwo(sum, n);
    }

    /// <summary><paramref name="x"/> raised to <paramref name="y"/> for x ≥ 0 (the only case the design needs).</summary>
    public static double Pow(double x, double y)
    {
        if (y == 0) return 1.0;
        if (x == 1.0) return 1.0;
        if (x < 0) throw new ArgumentOutOfRangeException(nameof(x), x, "Pow is defined here for x >= 0 only.");
        if (x == 0) return y > 0 ? 0.0 : double.PositiveInfinity;
        return Exp(y * Log(x));
    }

    /// <summary>Sine.</summary>
    public static double Sin(double x) => SinCosReduced(ReduceTwoPi(x), sine: true);

    /// <summary>Cosine.</summary>
    public static double Cos(double x) => SinCosReduced(ReduceTwoPi(x), sine: false);

    /// <summary>Largest integer ≤ x, computed from the bit pattern.</summary>
    public static double Floor(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x)) return x;
        if (Math.Abs(x) >= 4503599627370496.0) return x; // already integral
        double t = (double)(long)x; // truncation toward zero is exact for |x| < 2^52
        return t > x ? t - 1.0 : t;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Stirling series after shifting x above 10).</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma needs x > 0.");
        double shift = 0.0;
        while (x < 10.0)
        {
            shift += Log(x);
            x += 1.0;
        }

        double inv = 1.0 / x;
        double inv2 = inv * inv;
        // Bernoulli-number coefficients B_{2j} / (2j(2j−1)).
        double series = inv * (1.0 / 12.0
            - inv2 * (1.0 / 360.0
            - inv2 * (1.0 / 1260.0
            - inv2 * (1.0 / 1680.0
            - inv2 * (1.0 / 1188.0
            - inv2 * (691.0 / 360360.0
            - inv2 * (1.0 / 156.0)))))));
        const double HalfLogTwoPi = 0.91893853320467274178;
        return (x - 0.5) * Log(x) - x + HalfLogTwoPi + series - shift;
    }

    private static double ScaleByPowerOfTwo(double value, int n)
    {
        // Split large exponents so each factor stays a normal double.
        while (n > 1000)
        {
            value *= BitConverter.Int64BitsToDouble((long)(1000 + 1023) << 52);
            n -= 1000;
        }

        while (n < -1000)
        {
            value *= BitConverter.Int64BitsToDouble((long)(-1000 + 1023) << 52);
            n += 1000;
        }

        return value * BitConverter.Int64BitsToDouble((long)(n + 1023) << 52);
    }

    private static double ReduceTwoPi(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x)) return double.NaN;
        double q = Floor(x / TwoPiHi + 0.5);
        return (x - q * TwoPiHi) - q * TwoPiLo; // r ∈ [−π, π]
    }

    private static double SinCosReduced(double r, bool sine)
    {
        if (double.IsNaN(r)) return r;
        // Fold into [−π/4, π/4] by quadrant so the Taylor series converges in few terms.
        double quadrant = Floor(r / (Pi / 2) + 0.5);
        double y = r - quadrant * (Pi / 2);
        int q = ((int)quadrant % 4 + 4) % 4;
        if (!sine) q = (q + 1) % 4;
        return q switch
        {
            0 => TaylorSin(y),
            1 => TaylorCos(y),
            2 => -TaylorSin(y),
            _ => -TaylorCos(y),
        };
    }

    private static double TaylorSin(double y)
    {
        double y2 = y * y;
        double term = y;
        double sum = y;
        for (int i = 1; i < 30; i++)
        {
            term *= -y2 / ((2 * i) * (2 * i + 1));
            double next = sum + term;
            if (next == sum) break;
            sum = next;
        }

        return sum;
    }

    private static double TaylorCos(double y)
    {
        double y2 = y * y;
        double term = 1.0;
        double sum = 1.0;
        for (int i = 1; i < 30; i++)
        {
            term *= -y2 / ((2 * i - 1) * (2 * i));
            double next = sum + term;
            if (next == sum) break;
            sum = next;
        }

        return sum;
    }
}
