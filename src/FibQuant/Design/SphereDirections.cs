using System;

namespace FibQuant.Design;

/// <summary>
/// Quasi-uniform points on S^(k−1): k=1 {+1, −1}; k=2 equally spaced angles; k=3 the Fibonacci sphere;
/// k ≥ 4 the Roberts–Kronecker sequence mapped through the normal quantile and normalised.
/// </summary>
public static class SphereDirections
{
    /// <summary><paramref name="count"/> unit vectors of length <paramref name="blockSize"/>, row-major.</summary>
    public static double[] Create(int blockSize, int count)
    {
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "Block size must be positive.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Direction count must be positive.");
        if (blockSize == 1 && count > 2)
            throw new ArgumentOutOfRangeException(nameof(count), count, "S^0 has only the two directions +1 and -1.");

        var points = new double[count * blockSize];
        switch (blockSize)
        {
            case 1:
                points[0] = 1.0;
                if (count == 2) points[1] = -1.0;
                break;
            case 2:
                for (int m = 0; m < count; m++)
                {
                    double angle = 2.0 * DeterministicMath.Pi * (m + 0.5) / count;
                    points[2 * m] = DeterministicMath.Cos(angle);
                    points[2 * m + 1] = DeterministicMath.Sin(angle);
                }

                break;
            case 3:
                FibonacciSphere(points, count);
                break;
            default:
                RobertsKronecker(points, blockSize, count);
                break;
        }

        return points;
    }

    /// <summary>The positive root of x^(k+1) = x + 1 (the golden ratio for k = 1, the plastic number for k = 2).</summary>
    public static double GeneralizedGoldenRatio(int blockSize)
    {
        double x = 1.5;
        for (int i = 0; i < 100; i++)
        {
            double power = 1.0;
            for (int j = 0; j < blockSize; j++) power *= x; // x^k
            double f = power * x - x - 1.0;
            double df = (blockSize + 1) * power - 1.0;
            double next = x - f / df;
            if (next == x) break;
            x = next;
        }

        return x;
    }

    private static void FibonacciSphere(double[] points, int count)
    {
        // Equal-area latitude bands z_m = 1 − (2m+1)/M, azimuth advancing by the golden angle π(3 − √5).
        double goldenAngle = DeterministicMath.Pi * (3.0 - Math.Sqrt(5.0));
        for (int m = 0; m < count; m++)
        {
            double z = 1.0 - (2.0 * m + 1.0) / count;
            double rho = Math.Sqrt(Math.Max(0.0, 1.0 - z * z));
            double phi = goldenAngle * m;
            points[3 * m] = rho * DeterministicMath.Cos(phi);
            points[3 * m + 1] = rho * DeterministicMath.Sin(phi);
            points[3 * m + 2] = z;
        }
    }

    private static void RobertsKronecker(double[] points, int k, int count)
    {
        double phi = GeneralizedGoldenRatio(k);
        var alpha = new double[k];
        double power = 1.0;
        for (int j = 0; j < k; j++)
        {
            power /= phi;
            alpha[j] = power - DeterministicMath.Floor(power); // φ^−(j+1) mod 1
        }

        // Index n = m + 1: the n = 0 point (½, …, ½) maps to the origin and has no direction.
        for (int m = 0; m < count; m++)
        {
            int offset = m * k;
            double norm2 = 0;
            for (int j = 0; j < k; j++)
            {
                double t = 0.5 + (m + 1) * alpha[j];
                t -= DeterministicMath.Floor(t);
                if (t <= 0.0) t = 0.5 / 9007199254740992.0; // keep the quantile finite
                double g = NormalQuantile.Inverse(t);
                points[offset + j] = g;
                norm2 += g * g;
            }

            double inv = 1.0 / Math.Sqrt(norm2);
            for (int j = 0; j < k; j++) points[offset + j] *= inv;
        }
    }
}
