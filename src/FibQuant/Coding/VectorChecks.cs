using System;

namespace FibQuant.Coding;

internal static class VectorChecks
{
    /// <summary>‖x‖₂ accumulated in double in index order (the same bits on every CPU); throws on NaN or ±∞.</summary>
    public static float NormOrThrow(ReadOnlySpan<float> vector, string parameterName)
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

    public static void Length(int actual, int expected, string parameterName, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{parameterName} must have length {expected} ({what}), got {actual}.", parameterName);
    }

    public static int BatchCount(int vectorsLength, int vectorSize, int codesLength, int codeSize, string vectorsName, string codesName)
    {
        if (vectorsLength % vectorSize != 0)
            throw new ArgumentException($"{vectorsName} length {vectorsLength} is not a multiple of the dimension {vectorSize}.", vectorsName);
        int count = vectorsLength / vectorSize;
        if ((long)count * codeSize != codesLength)
            throw new ArgumentException($"{codesName} must have {count} × {codeSize} = {(long)count * codeSize} bytes for {count} vectors, got {codesLength}.", codesName);
        return count;
    }
}
