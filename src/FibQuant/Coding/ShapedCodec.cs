using System;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Coding;

/// <summary>
/// The codec of a compile-time codebook: the same pipeline and the same kernels as <see cref="FibQuantizer"/> with the
/// exact search, over <typeparamref name="TShape"/>'s constants and constant data, so the codes and decoded vectors are
/// identical bit for bit and the JIT specialises every call. Generated <c>Codec</c> structs forward here.
/// </summary>
/// <typeparam name="TShape">The generated codebook shape.</typeparam>
public static class ShapedCodec<TShape> where TShape : ICodebookShape
{
    private const int StackLimit = 1024;

    private static int HeaderSize => TShape.NormFormat == NormFormat.Half ? 2 : 4;

    private static int Blocks => TShape.Dimension / TShape.BlockSize;

    /// <summary>Encodes one vector (length d) into <paramref name="code"/> (length EncodedSize).</summary>
    [SkipLocalsInit]
    public static void Encode(ReadOnlySpan<float> vector, Span<byte> code)
    {
        VectorChecks.Length(vector.Length, TShape.Dimension, nameof(vector), "the dimension d");
        VectorChecks.Length(code.Length, TShape.EncodedSize, nameof(code), "EncodedSize");
        if (TShape.Dimension > StackLimit)
        {
            EncodeBatch(vector, code);
            return;
        }

        Span<float> rotated = stackalloc float[TShape.Dimension];
        Span<ushort> indices = stackalloc ushort[Blocks];
        EncodeCore(vector, code, rotated, indices);
    }

    /// <summary>Decodes <paramref name="code"/>: x̂ = ν Πᵀ [c_idx₁ … c_idx_(d/k)].</summary>
    /// <exception cref="System.IO.InvalidDataException">The header or the padding bits are corrupt.</exception>
    [SkipLocalsInit]
    public static void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        VectorChecks.Length(code.Length, TShape.EncodedSize, nameof(code), "EncodedSize");
        VectorChecks.Length(vector.Length, TShape.Dimension, nameof(vector), "the dimension d");
        if (TShape.Dimension > StackLimit)
        {
            DecodeBatch(code, vector);
            return;
        }

        Span<float> blocks = stackalloc float[TShape.Dimension];
        Span<ushort> indices = stackalloc ushort[Blocks];
        DecodeCore(code, vector, blocks, indices);
    }

    /// <summary>Encodes <paramref name="vectors"/> (count·d values) into <paramref name="codes"/> (count·EncodedSize bytes).</summary>
    [SkipLocalsInit]
    public static void EncodeBatch(ReadOnlySpan<float> vectors, Span<byte> codes)
    {
        int d = TShape.Dimension, size = TShape.EncodedSize;
        int count = VectorChecks.BatchCount(vectors.Length, d, codes.Length, size, nameof(vectors), nameof(codes));
        float[]? rented = d > StackLimit ? ArrayPool<float>.Shared.Rent(d) : null;
        ushort[]? rentedIndices = Blocks > StackLimit ? ArrayPool<ushort>.Shared.Rent(Blocks) : null;
        Span<float> rotated = rented is null ? stackalloc float[d] : rented.AsSpan(0, d);
        Span<ushort> indices = rentedIndices is null ? stackalloc ushort[Blocks] : rentedIndices.AsSpan(0, Blocks);
        try
        {
            for (int i = 0; i < count; i++) EncodeCore(vectors.Slice(i * d, d), codes.Slice(i * size, size), rotated, indices);
        }
        finally
        {
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
            if (rentedIndices is not null) ArrayPool<ushort>.Shared.Return(rentedIndices);
        }
    }

    /// <summary>Decodes <paramref name="codes"/> (count·EncodedSize bytes) into <paramref name="vectors"/> (count·d values).</summary>
    [SkipLocalsInit]
    public static void DecodeBatch(ReadOnlySpan<byte> codes, Span<float> vectors)
    {
        int d = TShape.Dimension, size = TShape.EncodedSize;
        int count = VectorChecks.BatchCount(vectors.Length, d, codes.Length, size, nameof(vectors), nameof(codes));
        float[]? rented = d > StackLimit ? ArrayPool<float>.Shared.Rent(d) : null;
        ushort[]? rentedIndices = Blocks > StackLimit ? ArrayPool<ushort>.Shared.Rent(Blocks) : null;
        Span<float> blocks = rented is null ? stackalloc float[d] : rented.AsSpan(0, d);
        Span<ushort> indices = rentedIndices is null ? stackalloc ushort[Blocks] : rentedIndices.AsSpan(0, Blocks);
        try
        {
            for (int i = 0; i < count; i++) DecodeCore(codes.Slice(i * size, size), vectors.Slice(i * d, d), blocks, indices);
        }
        finally
        {
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
            if (rentedIndices is not null) ArrayPool<ushort>.Shared.Return(rentedIndices);
        }
    }

    /// <summary>rotated = Π · vector (no normalisation). The spans have length d and must not overlap.</summary>
    public static void Rotate(ReadOnlySpan<float> vector, Span<float> rotated)
    {
        RotationArguments.Check(TShape.Dimension, vector, rotated);
        RotateCore(vector, rotated);
    }

    /// <summary>vector = Πᵀ · rotated. The spans have length d and must not overlap.</summary>
    public static void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector)
    {
        RotationArguments.Check(TShape.Dimension, rotated, vector);
        InverseRotateCore(rotated, vector);
    }

    /// <summary>table[i·N + n] = ⟨rotatedQuery_i, c_n⟩ for the d/k blocks of a rotated query ((d/k)·N entries).</summary>
    public static void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table) =>
        ScoreTable.Build(rotatedQuery, TShape.CodewordTable, TShape.BlockSize, table);

    private static void EncodeCore(ReadOnlySpan<float> vector, Span<byte> code, Span<float> rotated, Span<ushort> indices)
    {
        float norm = VectorChecks.NormOrThrow(vector, nameof(vector));
        NormHeader.Write(code, norm, TShape.NormFormat);
        if (norm == 0f)
        {
            code.Slice(HeaderSize).Clear();
            return;
        }

        RotateCore(vector, rotated);
        TensorPrimitives.Multiply(rotated, 1f / norm, rotated);
        NearestCodeword.FindAll(rotated, TShape.TransposedTable, TShape.BlockSize, TShape.Codewords, indices);
        BitPacking.Pack(indices, TShape.IndexBits, code.Slice(HeaderSize));
    }

    private static void DecodeCore(ReadOnlySpan<byte> code, Span<float> vector, Span<float> blocks, Span<ushort> indices)
    {
        float norm = NormHeader.Read(code, TShape.NormFormat);
        BitPacking.Unpack(code.Slice(HeaderSize), TShape.IndexBits, indices);
        if (norm == 0f)
        {
            vector.Clear();
            return;
        }

        CodewordGather.Gather(TShape.CodewordTable, TShape.BlockSize, indices, blocks);
        TensorPrimitives.Multiply(blocks, norm, blocks);
        InverseRotateCore(blocks, vector);
    }

    private static void RotateCore(ReadOnlySpan<float> vector, Span<float> rotated)
    {
        if (TShape.Rotation == RotationKind.Haar) MatrixSweep.Run(TShape.RotationColumns, vector, rotated);
        else HadamardRotation.Forward(TShape.RotationData, HadamardRotation.Scale(TShape.Dimension), vector, rotated);
    }

    private static void InverseRotateCore(ReadOnlySpan<float> rotated, Span<float> vector)
    {
        if (TShape.Rotation == RotationKind.Haar) MatrixSweep.Run(TShape.RotationData, rotated, vector);
        else HadamardRotation.Inverse(TShape.RotationData, HadamardRotation.Scale(TShape.Dimension), rotated, vector);
    }
}
