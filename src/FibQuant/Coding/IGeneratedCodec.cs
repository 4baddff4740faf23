using System;

namespace FibQuant.Coding;

/// <summary>
/// The static contract a compile-time generated codebook implements: the same operations as
/// <see cref="IVectorCodec"/>, as static members with the (d, k, N) folded into the code.
/// </summary>
/// <typeparam name="TSelf">The generated class itself.</typeparam>
public interface IGeneratedCodec<TSelf> where TSelf : IGeneratedCodec<TSelf>
{
    /// <summary>Vector length d.</summary>
    static abstract int Dimension { get; }

    /// <summary>Block length k.</summary>
    static abstract int BlockSize { get; }

    /// <summary>Codebook size N.</summary>
    static abstract int Codewords { get; }

    /// <summary>Bytes per encoded vector.</summary>
    static abstract int EncodedSize { get; }

    /// <summary>The norm header's format.</summary>
    static abstract NormFormat NormFormat { get; }

    /// <summary>The codebook fingerprint.</summary>
    static abstract ulong Fingerprint { get; }

    /// <summary>Codewords, N×k row-major.</summary>
    static abstract ReadOnlySpan<float> CodewordTable { get; }

    /// <summary>Encodes one vector.</summary>
    static abstract void Encode(ReadOnlySpan<float> vector, Span<byte> code);

    /// <summary>Decodes one vector.</summary>
    static abstract void Decode(ReadOnlySpan<byte> code, Span<float> vector);

    /// <summary>rotated = Π · vector.</summary>
    static abstract void Rotate(ReadOnlySpan<float> vector, Span<float> rotated);

    /// <summary>vector = Πᵀ · rotated.</summary>
    static abstract void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector);

    /// <summary>Per-block score table, see <see cref="IVectorCodec.BuildScoreTable"/>.</summary>
    static abstract void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table);
}

/// <summary>Adapts a generated codebook to <see cref="IVectorCodec"/> as a struct: generic code over it is specialised, not virtual.</summary>
/// <typeparam name="T">The generated codebook class.</typeparam>
public readonly struct GeneratedCodec<T> : IVectorCodec where T : IGeneratedCodec<T>
{
    /// <inheritdoc />
    public int Dimension => T.Dimension;

    /// <inheritdoc />
    public int BlockSize => T.BlockSize;

    /// <inheritdoc />
    public int Codewords => T.Codewords;

    /// <inheritdoc />
    public int EncodedSize => T.EncodedSize;

    /// <inheritdoc />
    public NormFormat NormFormat => T.NormFormat;

    /// <inheritdoc />
    public ulong Fingerprint => T.Fingerprint;

    /// <inheritdoc />
    public ReadOnlySpan<float> CodewordTable => T.CodewordTable;

    /// <inheritdoc />
    public void Encode(ReadOnlySpan<float> vector, Span<byte> code) => T.Encode(vector, code);

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> code, Span<float> vector) => T.Decode(code, vector);

    /// <inheritdoc />
    public void Rotate(ReadOnlySpan<float> vector, Span<float> rotated) => T.Rotate(vector, rotated);

    /// <inheritdoc />
    public void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector) => T.InverseRotate(rotated, vector);

    /// <inheritdoc />
    public void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table) => T.BuildScoreTable(rotatedQuery, table);
}
