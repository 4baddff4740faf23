using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>fp16 storage: every coordinate rounded to the nearest <see cref="Half"/>.</summary>
public sealed class Float16RoundTrip(int dimension) : IVectorRoundTrip
{
    /// <inheritdoc />
    public int Dimension { get; } = dimension > 0 ? dimension : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be positive.");

    /// <inheritdoc />
    public void RoundTrip(ReadOnlySpan<float> vector, Span<float> reconstruction)
    {
        RoundTripArguments.Check(Dimension, vector, reconstruction);
        for (int i = 0; i < vector.Length; i++) reconstruction[i] = (float)(Half)vector[i];
    }
}
