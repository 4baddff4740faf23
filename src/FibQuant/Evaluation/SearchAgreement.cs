using System;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Evaluation;

/// <summary>How often an approximate block search picks a different codeword than the exact one, and what it costs.</summary>
public static class SearchAgreement
{
    /// <summary>
    /// Rotates each unit vector with the codebook's rotation, searches its blocks with both searches, and returns the
    /// fraction of blocks whose index differs and the ratio of block distortions (approximate ÷ exact).
    /// </summary>
    public static (double DifferingFraction, double DistortionRatio) Measure(Codebook codebook, IBlockSearch search, ReadOnlySpan<float> unitVectors)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        ArgumentNullException.ThrowIfNull(search);
        var quantizer = new FibQuantizer(codebook);
        int d = codebook.Spec.Dimension;
        int k = codebook.Spec.BlockSize;
        if (unitVectors.Length == 0 || unitVectors.Length % d != 0)
            throw new ArgumentException($"unitVectors length must be a positive multiple of d = {d}.", nameof(unitVectors));
        var exact = new NearestCodeword(codebook);
        var rotated = new float[d];
        var a = new ushort[d / k];
        var b = new ushort[d / k];
        long differing = 0, blocks = 0;
        double exactError = 0, approximateError = 0;
        for (int v = 0; v < unitVectors.Length / d; v++)
        {
            quantizer.Rotate(unitVectors.Slice(v * d, d), rotated);
            exact.FindAll(rotated, a);
            search.FindAll(rotated, b);
            for (int i = 0; i < a.Length; i++)
            {
                blocks++;
                if (a[i] != b[i]) differing++;
                exactError += Error(rotated.AsSpan(i * k, k), codebook.Codeword(a[i]));
                approximateError += Error(rotated.AsSpan(i * k, k), codebook.Codeword(b[i]));
            }
        }

        return ((double)differing / blocks, approximateError / exactError);
    }

    private static double Error(ReadOnlySpan<float> y, ReadOnlySpan<float> c)
    {
        double sum = 0;
        for (int j = 0; j < y.Length; j++) sum += (y[j] - c[j]) * (double)(y[j] - c[j]);
        return sum;
    }
}
