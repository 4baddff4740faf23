using System;
using System.Threading;

namespace FibQuant.Design;

/// <summary>Builds the rotation data a spec implies: the Haar matrix, or the Hadamard sign flips.</summary>
public static class RotationDesign
{
    /// <summary>Rounds of sign flip + Walsh–Hadamard transform in the randomized Hadamard rotation.</summary>
    public const int HadamardRounds = 3;

    /// <summary>
    /// Rotation data for <paramref name="rotation"/>: Haar → Π row-major (d×d), u = Π·x;
    /// Hadamard → <see cref="HadamardRounds"/>×d signs (±1), round r applied before the r-th transform.
    /// </summary>
    public static float[] Create(RotationKind rotation, int dimension, ulong seed, CancellationToken cancellationToken = default)
    {
        var random = new DesignRandom(seed, DesignStream.Rotation);
        return rotation == RotationKind.Haar
            ? HaarMatrix(dimension, random, cancellationToken)
            : HadamardSigns(dimension, random);
    }

    private static float[] HaarMatrix(int d, DesignRandom random, CancellationToken cancellationToken)
    {
        // Gram–Schmidt on the columns of a Gaussian matrix gives Q with R's diagonal positive: exactly the sign
        // correction that makes Q Haar-distributed. Orthogonalising twice (CGS2) keeps Q orthogonal to rounding.
        var q = new double[d * d]; // column-major: column c at [c*d, c*d + d)
        for (int i = 0; i < q.Length; i++) q[i] = random.NextGaussian();

        for (int c = 0; c < d; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int col = c * d;
            for (int pass = 0; pass < 2; pass++)
            {
                for (int p = 0; p < c; p++)
                {
                    int prev = p * d;
                    double dot = 0;
                    for (int i = 0; i < d; i++) dot += q[prev + i] * q[col + i];
                    for (int i = 0; i < d; i++) q[col + i] -= dot * q[prev + i];
                }
            }

            double norm2 = 0;
            for (int i = 0; i < d; i++) norm2 += q[col + i] * q[col + i];
            double inv = 1.0 / Math.Sqrt(norm2);
            for (int i = 0; i < d; i++) q[col + i] *= inv;
        }

        // Π = Qᵀ: row r of Π is column r of Q.
        var matrix = new float[d * d];
        for (int r = 0; r < d; r++)
            for (int i = 0; i < d; i++)
                matrix[r * d + i] = (float)q[r * d + i];
        return matrix;
    }

    private static float[] HadamardSigns(int d, DesignRandom random)
    {
        var signs = new float[HadamardRounds * d];
        for (int i = 0; i < signs.Length; i++) signs[i] = (random.NextUInt64() >> 63) == 0 ? 1f : -1f;
        return signs;
    }
}
