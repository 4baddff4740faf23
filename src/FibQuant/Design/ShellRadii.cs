using System;

namespace FibQuant.Design;

/// <summary>Beta-quantile shell radii r_ℓ = sqrt(F⁻¹_Beta(k/2,(d−k)/2)((ℓ − ½)/L)), ℓ = 1…L.</summary>
public static class ShellRadii
{
    /// <summary>The <paramref name="shells"/> radii for k-blocks of unit vectors in R^d, increasing.</summary>
    public static double[] Compute(int dimension, int blockSize, int shells)
    {
        if (blockSize < 1 || blockSize >= dimension)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"Shell radii need 1 <= k < d (d = {dimension}).");
        if (shells < 1) throw new ArgumentOutOfRangeException(nameof(shells), shells, "Shell count must be positive.");

        double a = blockSize / 2.0;
        double b = (dimension - blockSize) / 2.0;
        var radii = new double[shells];
        for (int l = 1; l <= shells; l++)
        {
            radii[l - 1] = Math.Sqrt(IncompleteBeta.Inverse(a, b, (l - 0.5) / shells));
        }

        return radii;
    }
}
