using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Encodes a key or value vector in a cache format and decodes it again: the vector attention reads back from a cache
/// in that format. Instances keep scratch buffers and are not thread-safe.
/// </summary>
public interface IVectorRoundTrip
{
    /// <summary>Vector length d.</summary>
    int Dimension { get; }

    /// <summary>reconstruction = decode(encode(vector)); both of length d.</summary>
    void RoundTrip(ReadOnlySpan<float> vector, Span<float> reconstruction);
}
