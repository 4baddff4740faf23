using System;

namespace FibQuant.Rotation;

/// <summary>An orthogonal map Π of R^d shared by every vector of a codebook.</summary>
public interface IRotation
{
    /// <summary>The dimension d.</summary>
    int Dimension { get; }

    /// <summary>destination = Π · source. Both spans have length d; they must not overlap.</summary>
    void Rotate(ReadOnlySpan<float> source, Span<float> destination);

    /// <summary>destination = Πᵀ · source. Both spans have length d; they must not overlap.</summary>
    void InverseRotate(ReadOnlySpan<float> source, Span<float> destination);
}
