using System;

namespace FibQuant.Coding;

internal static class VectorChecks
{
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
