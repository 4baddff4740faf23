using System;

namespace FibQuant.Design;

/// <summary>
/// The regularized incomplete Beta function I_x(a, b) and its inverse, on <see cref="DeterministicMath"/>.
/// The squared radius of a k-block of a uniform unit vector in R^d is Beta(k/2, (d−k)/2): its quantiles give the shell radii.
/// </summary>
public static class IncompleteBeta
{
    /// <summary>I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b).</summary>
    public static double Regularized(double a, double b, double x)
    {
        if (!(a > 0)) throw new ArgumentOutOfRangeException(nameof(a), a, "Beta shape a must be > 0.");
        if (!(b > 0)) throw new ArgumentOutOfRangeException(nameof(b), b, "Beta shape b must be > 0.");
        if (double.IsNaN(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "x must be in [0, 1].");
        if (x <= 0) return 0.0;
        if (x >= 1) return 1.0;

        double logFront = DeterministicMath.LogGamma(a + b) - DeterministicMath.LogGamma(a) - DeterministicMath.LogGamma(b)
                          + a * DeterministicMath.Log(x) + b * DeterministicMath.Log(1.0 - x);
        double front = DeterministicMath.Exp(logFront);

        // The continued fraction converges fast on the side of the mean; use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) otherwise.
        if (x < (a + 1.0) / (a + b + 2.0))
        {
            return front * ContinuedFraction(a, b, x) / a;
        }

        return 1.0 - front * ContinuedFraction(b, a, 1.0 - x) / b;
    }

    /// <summary>The x in [0, 1] with I_x(a, b) = <paramref name="p"/> (bisection: slow but monotone and exactly reproducible).</summary>
    public static double Inverse(double a, double b, double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Probability must be in [0, 1].");
        if (p == 0) return 0.0;
        if (p == 1) return 1.0;

        double lo = 0.0;
        double hi = 1.0;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (Regularized(a, b, mid) < p) lo = mid;
            else hi = mid;
        }

        return 0.5 * (lo + hi);
    }

    // Modified Lentz evaluation of the continued fraction for I_x(a, b) (Numerical Recipes §6.4).
    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        const double Epsilon = 1e-16;
        double qab = a + b;
        double qap = a + 1.0;
        double qam = a - 1.0;
        double c = 1.0;
        double d = 1.0 - qab * x / qap;
        if (Math.Abs(d) < Tiny) d = Tiny;
        d = 1.0 / d;
        double h = d;
        for (int m = 1; m <= 10000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1.0 + aa / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1.0 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1.0 + aa / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1.0 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1.0) < Epsilon) break;
        }

        return h;
    }
}
