using System;

namespace FibQuant.Coding;

/// <summary>
/// What generic code (the KV cache, attention, evaluation) needs from a quantizer. The runtime
/// <see cref="FibQuantizer"/> implements it, and so does every generated codebook's <c>Codec</c> struct (over
/// <see cref="ShapedCodec{TShape}"/>): generic code over a struct codec is specialised and inlined, not virtual.
/// </summary>
public interface IVectorCodec
{
    /// <summary>Vector length d.</summary>
    int Dimension { get; }

    /// <summary>Block length k.</summary>
    int BlockSize { get; }

    /// <summary>Codebook size N.</summary>
    int Codewords { get; }

    /// <summary>Bytes per encoded vector.</summary>
    int EncodedSize { get; }

    /// <summary>The norm header's format.</summary>
    NormFormat NormFormat { get; }

    /// <summary>The codebook fingerprint recorded with encoded data.</summary>
    ulong Fingerprint { get; }

    /// <summary>Codewords, N×k row-major.</summary>
    ReadOnlySpan<float> CodewordTable { get; }

    /// <summary>Encodes one vector (length d) into <paramref name="code"/> (length <see cref="EncodedSize"/>).</summary>
    void Encode(ReadOnlySpan<float> vector, Span<byte> code);

    /// <summary>Decodes one vector.</summary>
    void Decode(ReadOnlySpan<byte> code, Span<float> vector);

    /// <summary>rotated = Π · vector (no normalisation): rotate a query once per attention step.</summary>
    void Rotate(ReadOnlySpan<float> vector, Span<float> rotated);

    /// <summary>vector = Πᵀ · rotated: bring an output accumulated in the rotated domain back.</summary>
    void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector);

    /// <summary>Per-block score table table[i·N + n] = ⟨rotatedQuery_i, c_n⟩ for the d/k blocks of a rotated query.</summary>
    void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table);
}
