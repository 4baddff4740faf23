using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Coding;

/// <summary>
/// The codec, once: x ↦ (ν = ‖x‖₂, indices of the nearest codewords of the blocks of Πx/ν) and back, over any
/// <see cref="ICodecLayout"/>. <see cref="FibQuantizer"/> runs it over its <see cref="RuntimeLayout"/>, generated codecs
/// (through <see cref="ShapedCodec{TShape}"/>) over their <see cref="ConstantLayout{TShape}"/>, so both give the same
/// bits and the generated instantiation sees d, k and N as constants. No method allocates for d ≤ 1024.
/// </summary>
internal static class CodecPipeline
{
    private const int StackLimit = 1024;

    [SkipLocalsInit]
    public static void Encode<TLayout>(in TLayout layout, ReadOnlySpan<float> vector, Span<byte> code) where TLayout : struct, ICodecLayout
    {
        VectorChecks.Length(vector.Length, layout.Dimension, nameof(vector), "the dimension d");
        VectorChecks.Length(code.Length, layout.EncodedSize, nameof(code), "EncodedSize");
        if (layout.Dimension > StackLimit)
        {
            EncodeBatch(in layout, vector, code);
            return;
        }

        Span<float> rotated = stackalloc float[layout.Dimension];
        Span<ushort> indices = stackalloc ushort[layout.Dimension / layout.BlockSize];
        EncodeCore(in layout, vector, code, rotated, indices);
    }

    [SkipLocalsInit]
    public static void Decode<TLayout>(in TLayout layout, ReadOnlySpan<byte> code, Span<float> vector) where TLayout : struct, ICodecLayout
    {
        VectorChecks.Length(code.Length, layout.EncodedSize, nameof(code), "EncodedSize");
        VectorChecks.Length(vector.Length, layout.Dimension, nameof(vector), "the dimension d");
        if (layout.Dimension > StackLimit)
        {
            DecodeBatch(in layout, code, vector);
            return;
        }

        Span<float> blocks = stackalloc float[layout.Dimension];
        Span<ushort> indices = stackalloc ushort[layout.Dimension / layout.BlockSize];
        DecodeCore(in layout, code, vector, blocks, indices);
    }

    [SkipLocalsInit]
    public static void EncodeBatch<TLayout>(in TLayout layout, ReadOnlySpan<float> vectors, Span<byte> codes) where TLayout : struct, ICodecLayout
    {
        int d = layout.Dimension, size = layout.EncodedSize, blocks = d / layout.BlockSize;
        int count = VectorChecks.BatchCount(vectors.Length, d, codes.Length, size, nameof(vectors), nameof(codes));
        float[]? rented = d > StackLimit ? ArrayPool<float>.Shared.Rent(d) : null;
        ushort[]? rentedIndices = blocks > StackLimit ? ArrayPool<ushort>.Shared.Rent(blocks) : null;
        Span<float> rotated = rented is null ? stackalloc float[d] : rented.AsSpan(0, d);
        Span<ushort> indices = rentedIndices is null ? stackalloc ushort[blocks] : rentedIndices.AsSpan(0, blocks);
        try
        {
            for (int i = 0; i < count; i++) EncodeCore(in layout, vectors.Slice(i * d, d), codes.Slice(i * size, size), rotated, indices);
        }
        finally
        {
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
            if (rentedIndices is not null) ArrayPool<ushort>.Shared.Return(rentedIndices);
        }
    }

    [SkipLocalsInit]
    public static void DecodeBatch<TLayout>(in TLayout layout, ReadOnlySpan<byte> codes, Span<float> vectors) where TLayout : struct, ICodecLayout
    {
        int d = layout.Dimension, size = layout.EncodedSize, blocks = d / layout.BlockSize;
        int count = VectorChecks.BatchCount(vectors.Length, d, codes.Length, size, nameof(vectors), nameof(codes));
        float[]? rented = d > StackLimit ? ArrayPool<float>.Shared.Rent(d) : null;
        ushort[]? rentedIndices = blocks > StackLimit ? ArrayPool<ushort>.Shared.Rent(blocks) : null;
        Span<float> gathered = rented is null ? stackalloc float[d] : rented.AsSpan(0, d);
        Span<ushort> indices = rentedIndices is null ? stackalloc ushort[blocks] : rentedIndices.AsSpan(0, blocks);
        try
        {
            for (int i = 0; i < count; i++) DecodeCore(in layout, codes.Slice(i * size, size), vectors.Slice(i * d, d), gathered, indices);
        }
        finally
        {
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
            if (rentedIndices is not null) ArrayPool<ushort>.Shared.Return(rentedIndices);
        }
    }

    /// <summary>rotated = Π · vector (no normalisation).</summary>
    public static void Rotate<TLayout>(in TLayout layout, ReadOnlySpan<float> vector, Span<float> rotated) where TLayout : struct, ICodecLayout
    {
        RotationArguments.Check(layout.Dimension, vector, rotated);
        Forward(in layout, vector, rotated, 1f);
    }

    /// <summary>vector = Πᵀ · rotated.</summary>
    public static void InverseRotate<TLayout>(in TLayout layout, ReadOnlySpan<float> rotated, Span<float> vector) where TLayout : struct, ICodecLayout
    {
        RotationArguments.Check(layout.Dimension, rotated, vector);
        Inverse(in layout, rotated, vector, 1f);
    }

    /// <summary>table[i·N + n] = ⟨rotatedQuery_i, c_n⟩.</summary>
    public static void BuildScoreTable<TLayout>(in TLayout layout, ReadOnlySpan<float> rotatedQuery, Span<float> table) where TLayout : struct, ICodecLayout =>
        ScoreTable.Build(rotatedQuery, layout.CodewordTable, layout.BlockSize, table);

    private static void EncodeCore<TLayout>(in TLayout layout, ReadOnlySpan<float> vector, Span<byte> code, Span<float> rotated, Span<ushort> indices)
        where TLayout : struct, ICodecLayout
    {
        float norm = VectorNorm.NormOrThrow(vector, nameof(vector));
        NormHeader.Write(code, norm, layout.NormFormat);
        int header = NormHeader.Size(layout.NormFormat);
        if (norm == 0f)
        {
            code.Slice(header).Clear();
            return;
        }

        Forward(in layout, vector, rotated, 1f / norm);
        if (layout.ApproximateSearch is { } search) search.FindAll(rotated, indices);
        else NearestCodeword.FindAll(in layout, rotated, layout.TransposedTable, indices);
        BitPacking.PackCode(in layout, indices, code.Slice(header));
    }

    private static void DecodeCore<TLayout>(in TLayout layout, ReadOnlySpan<byte> code, Span<float> vector, Span<float> gathered, Span<ushort> indices)
        where TLayout : struct, ICodecLayout
    {
        float norm = NormHeader.Read(code, layout.NormFormat);
        BitPacking.UnpackCode(in layout, code.Slice(NormHeader.Size(layout.NormFormat)), indices);
        if (norm == 0f)
        {
            vector.Clear();
            return;
        }

        CodewordGather.Gather(in layout, layout.CodewordTable, indices, gathered);
        Inverse(in layout, gathered, vector, norm);
    }

    // rotated = (Π · vector) · post.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Forward<TLayout>(in TLayout layout, ReadOnlySpan<float> vector, Span<float> rotated, float post) where TLayout : struct, ICodecLayout
    {
        if (layout.Rotation == RotationKind.Haar) MatrixSweep.Run(in layout, layout.RotationColumns, vector, rotated, 1f, post);
        else HadamardRotation.Forward(in layout, layout.RotationData, layout.HadamardScale, post, vector, rotated);
    }

    // vector = Πᵀ · (rotated · pre).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inverse<TLayout>(in TLayout layout, ReadOnlySpan<float> rotated, Span<float> vector, float pre) where TLayout : struct, ICodecLayout
    {
        if (layout.Rotation == RotationKind.Haar) MatrixSweep.Run(in layout, layout.RotationData, rotated, vector, pre, 1f);
        else HadamardRotation.Inverse(in layout, layout.RotationData, layout.HadamardScale, pre, rotated, vector);
    }
}
