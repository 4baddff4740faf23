using System;

namespace FibQuant.Rotation;

internal static class RotationArguments
{
    public static void Check(int dimension, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length != dimension)
            throw new ArgumentException($"source must have length d = {dimension}, got {source.Length}.", nameof(source));
        if (destination.Length != dimension)
            throw new ArgumentException($"destination must have length d = {dimension}, got {destination.Length}.", nameof(destination));
        if (source.Overlaps(destination))
            throw new ArgumentException("source and destination must not overlap.", nameof(destination));
    }
}
