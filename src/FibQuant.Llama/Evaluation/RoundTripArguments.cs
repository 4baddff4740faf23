using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>The length checks every <see cref="IVectorRoundTrip"/> makes.</summary>
internal static class RoundTripArguments
{
    public static void Check(int dimension, ReadOnlySpan<float> vector, Span<float> reconstruction)
    {
        if (vector.Length != dimension) throw new ArgumentException($"vector must have length d = {dimension}, got {vector.Length}.", nameof(vector));
        if (reconstruction.Length != dimension)
            throw new ArgumentException($"reconstruction must have length d = {dimension}, got {reconstruction.Length}.", nameof(reconstruction));
    }
}
