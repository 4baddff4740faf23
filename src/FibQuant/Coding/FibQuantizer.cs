using System;
using System.Buffers;
using System.Numerics.Tensors;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Coding;

/// <summary>
/// The runtime FibQuant codec for one codebook: x ↦ (ν = ‖x‖₂, indices of the nearest codewords of the blocks of Πx/ν).
/// An encoded vector is <see cref="EncodedSize"/> bytes: the norm header, then d/k indices of log2 N bits, packed.
/// Instances are immutable and safe to share between threads; no method allocates.
/// </summary>
public sealed class FibQuantizer : IVectorCodec
{
    private const int StackLimit = 1024;
    private readonly IRotation _rotation;
    private readonly IBlockSearch _search;
    private readonly float[]? _exactTable; // the exact search's transposed table: called directly, not through IBlockSearch
    private readonly float[] _table;
    private readonly int _headerSize;
    private readonly int _dimension;
    private readonly int _blocks;
    private readonly int _indexBits;

    /// <summary>Creates the codec for <paramref name="codebook"/> with the chosen norm header and block search.</summary>
    public FibQuantizer(Codebook codebook, NormFormat normFormat = NormFormat.Half, EncoderKind encoder = EncoderKind.Auto)
    {
        Codebook = codebook ?? throw new ArgumentNullException(nameof(codebook));
        if (normFormat != NormFormat.Half && normFormat != NormFormat.Single)
            throw new ArgumentOutOfRangeException(nameof(normFormat), normFormat, "normFormat must be Half or Single.");
        CodebookSpec spec = codebook.Spec;
        if (encoder == EncoderKind.Auto) encoder = EncoderChoice.For(spec);
        NormFormat = normFormat;
        _rotation = spec.Rotation == RotationKind.Haar
            ? new HaarRotation(spec.Dimension, codebook.Rotation)
            : new HadamardRotation(spec.Dimension, codebook.Rotation);
        _search = encoder switch
        {
            EncoderKind.Exact => new NearestCodeword(codebook),
            EncoderKind.TwoStage => TwoStageSearch.Calibrated(codebook),
            EncoderKind.Hierarchical => HierarchicalSearch.WithDefaults(codebook),
            _ => throw new ArgumentOutOfRangeException(nameof(encoder), encoder, "encoder must be Exact, TwoStage, Hierarchical or Auto."),
        };
        Encoder = encoder;
        _exactTable = encoder == EncoderKind.Exact ? NearestCodeword.Transpose(codebook.Table, spec.BlockSize, spec.Codewords) : null;
        _table = codebook.Table.ToArray();
        _headerSize = NormHeader.Size(normFormat);
        _dimension = spec.Dimension;
        _blocks = spec.BlocksPerVector;
        _indexBits = spec.IndexBits;
        EncodedSize = _headerSize + BitPacking.PackedLength(spec.BlocksPerVector, spec.IndexBits);
    }

    /// <summary>The codebook.</summary>
    public Codebook Codebook { get; }

    /// <summary>The norm header's format.</summary>
    public NormFormat NormFormat { get; }

    /// <summary>The block search used by <see cref="Encode"/>.</summary>
    public EncoderKind Encoder { get; }

    /// <summary>Vector length d.</summary>
    public int Dimension => _dimension;

    /// <summary>Bytes per encoded vector (header + packed indices, rounded up to a whole byte).</summary>
    public int EncodedSize { get; }

    /// <summary>Rate b = log2(N)/k bits per coordinate (indices only).</summary>
    public double BitsPerCoordinate => Codebook.Spec.BitsPerCoordinate;

    /// <summary>CR = 16·d / (header bits + (d/k)·log2 N): compression against fp16, from the bit counts.</summary>
    public double CompressionRatio
    {
        get
        {
            CodebookSpec spec = Codebook.Spec;
            return 16.0 * spec.Dimension / (8 * _headerSize + (double)spec.BlocksPerVector * spec.IndexBits);
        }
    }

    /// <summary>The fingerprint recorded with encoded data.</summary>
    public ulong Fingerprint => Codebook.Fingerprint;

    /// <summary>The rotation Π.</summary>
    public IRotation Rotation => _rotation;

    /// <inheritdoc />
    public int BlockSize => Codebook.Spec.BlockSize;

    /// <inheritdoc />
    public int Codewords => Codebook.Spec.Codewords;

    /// <inheritdoc />
    public ReadOnlySpan<float> CodewordTable => _table;

    /// <inheritdoc />
    public void Rotate(ReadOnlySpan<float> vector, Span<float> rotated) => _rotation.Rotate(vector, rotated);

    /// <inheritdoc />
    public void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector) => _rotation.InverseRotate(rotated, vector);

    /// <inheritdoc />
    public void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table) => ScoreTable.Build(rotatedQuery, _table, BlockSize, table);

    /// <summary>Encodes one vector (length d) into <paramref name="code"/> (length <see cref="EncodedSize"/>).</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> code)
    {
        VectorChecks.Length(vector.Length, _dimension, nameof(vector), "the dimension d");
        VectorChecks.Length(code.Length, EncodedSize, nameof(code), "EncodedSize");
        if (_dimension > StackLimit)
        {
            EncodeBatch(vector, code);
            return;
        }

        Span<float> rotated = stackalloc float[_dimension];
        Span<ushort> indices = stackalloc ushort[_blocks];
        EncodeCore(vector, code, rotated, indices);
    }

    /// <summary>Decodes <paramref name="code"/> into <paramref name="vector"/>: x̂ = ν Πᵀ [c_idx₁ … c_idx_(d/k)].</summary>
    /// <exception cref="System.IO.InvalidDataException">The header or the padding bits are corrupt.</exception>
    public void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        VectorChecks.Length(code.Length, EncodedSize, nameof(code), "EncodedSize");
        VectorChecks.Length(vector.Length, _dimension, nameof(vector), "the dimension d");
        if (_dimension > StackLimit)
        {
            DecodeBatch(code, vector);
            return;
        }

        Span<float> blocks = stackalloc float[_dimension];
        Span<ushort> indices = stackalloc ushort[_blocks];
        DecodeCore(code, vector, blocks, indices);
    }

    /// <summary>Encodes <paramref name="vectors"/> (count·d values) into <paramref name="codes"/> (count·EncodedSize bytes).</summary>
    public void EncodeBatch(ReadOnlySpan<float> vectors, Span<byte> codes)
    {
        int d = _dimension, size = EncodedSize;
        int count = VectorChecks.BatchCount(vectors.Length, d, codes.Length, size, nameof(vectors), nameof(codes));
        float[]? rented = d > StackLimit ? ArrayPool<float>.Shared.Rent(d) : null;
        ushort[]? rentedIndices = _blocks > StackLimit ? ArrayPool<ushort>.Shared.Rent(_blocks) : null;
        Span<float> rotated = rented is null ? stackalloc float[d] : rented.AsSpan(0, d);
        Span<ushort> indices = rentedIndices is null ? stackalloc ushort[_blocks] : rentedIndices.AsSpan(0, _blocks);
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
    public void DecodeBatch(ReadOnlySpan<byte> codes, Span<float> vectors)
    {
        int d = _dimension, size = EncodedSize;
        int count = VectorChecks.BatchCount(vectors.Length, d, codes.Length, size, nameof(vectors), nameof(codes));
        float[]? rented = d > StackLimit ? ArrayPool<float>.Shared.Rent(d) : null;
        ushort[]? rentedIndices = _blocks > StackLimit ? ArrayPool<ushort>.Shared.Rent(_blocks) : null;
        Span<float> blocks = rented is null ? stackalloc float[d] : rented.AsSpan(0, d);
        Span<ushort> indices = rentedIndices is null ? stackalloc ushort[_blocks] : rentedIndices.AsSpan(0, _blocks);
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

    private void EncodeCore(ReadOnlySpan<float> vector, Span<byte> code, Span<float> rotated, Span<ushort> indices)
    {
        float norm = VectorChecks.NormOrThrow(vector, nameof(vector));
        NormHeader.Write(code, norm, NormFormat);
        if (norm == 0f)
        {
            code.Slice(_headerSize).Clear();
            return;
        }

        _rotation.Rotate(vector, rotated);
        TensorPrimitives.Multiply(rotated, 1f / norm, rotated);
        if (_exactTable is not null) NearestCodeword.FindAll(rotated, _exactTable, BlockSize, Codewords, indices);
        else _search.FindAll(rotated, indices);
        BitPacking.Pack(indices, _indexBits, code.Slice(_headerSize));
    }

    private void DecodeCore(ReadOnlySpan<byte> code, Span<float> vector, Span<float> blocks, Span<ushort> indices)
    {
        float norm = NormHeader.Read(code, NormFormat);
        BitPacking.Unpack(code.Slice(_headerSize), _indexBits, indices);
        if (norm == 0f)
        {
            vector.Clear();
            return;
        }

        CodewordGather.Gather(_table, BlockSize, indices, blocks);
        TensorPrimitives.Multiply(blocks, norm, blocks);
        _rotation.InverseRotate(blocks, vector);
    }
}
