using System;
using System.Runtime.CompilerServices;

namespace FibQuant.Coding;

/// <summary>
/// The codec of a compile-time codebook: <see cref="FibQuantizer"/>'s pipeline with its <see cref="EncoderKind.Auto"/> search, run over
/// <typeparamref name="TShape"/>'s constants and constant data, so the codes and decoded vectors are identical bit for
/// bit and the JIT specialises every call for the shape's d, k and N. Generated <c>Codec</c> structs forward here.
/// </summary>
/// <typeparam name="TShape">The generated codebook shape.</typeparam>
public static class ShapedCodec<TShape> where TShape : ICodebookShape
{
    /// <summary>Encodes one vector (length d) into <paramref name="code"/> (length EncodedSize).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Encode(ReadOnlySpan<float> vector, Span<byte> code) => CodecPipeline.Encode(default(ConstantLayout<TShape>), vector, code);

    /// <summary>Decodes <paramref name="code"/>: x̂ = ν Πᵀ [c_idx₁ … c_idx_(d/k)].</summary>
    /// <exception cref="System.IO.InvalidDataException">The header or the padding bits are corrupt.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode(ReadOnlySpan<byte> code, Span<float> vector) => CodecPipeline.Decode(default(ConstantLayout<TShape>), code, vector);

    /// <summary>Encodes <paramref name="vectors"/> (count·d values) into <paramref name="codes"/> (count·EncodedSize bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EncodeBatch(ReadOnlySpan<float> vectors, Span<byte> codes) => CodecPipeline.EncodeBatch(default(ConstantLayout<TShape>), vectors, codes);

    /// <summary>Decodes <paramref name="codes"/> (count·EncodedSize bytes) into <paramref name="vectors"/> (count·d values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DecodeBatch(ReadOnlySpan<byte> codes, Span<float> vectors) => CodecPipeline.DecodeBatch(default(ConstantLayout<TShape>), codes, vectors);

    /// <summary>rotated = Π · vector (no normalisation). The spans have length d and must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rotate(ReadOnlySpan<float> vector, Span<float> rotated) => CodecPipeline.Rotate(default(ConstantLayout<TShape>), vector, rotated);

    /// <summary>vector = Πᵀ · rotated. The spans have length d and must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector) => CodecPipeline.InverseRotate(default(ConstantLayout<TShape>), rotated, vector);

    /// <summary>table[i·N + n] = ⟨rotatedQuery_i, c_n⟩ for the d/k blocks of a rotated query ((d/k)·N entries).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table) =>
        CodecPipeline.BuildScoreTable(default(ConstantLayout<TShape>), rotatedQuery, table);
}
