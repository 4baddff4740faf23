using System;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Coding;

/// <summary>A runtime codebook's layout: values read per call.</summary>
internal readonly struct RuntimeLayout : ICodecLayout
{
    private readonly float[] _table;
    private readonly float[] _transposed;
    private readonly float[] _rotationData;
    private readonly float[] _rotationColumns;

    public RuntimeLayout(CodebookSpec spec, NormFormat normFormat, float[] table, float[] transposed, IRotation rotation, IBlockSearch? approximate)
    {
        Dimension = spec.Dimension;
        BlockSize = spec.BlockSize;
        Codewords = spec.Codewords;
        IndexBits = spec.IndexBits;
        NormFormat = normFormat;
        EncodedSize = NormHeader.Size(normFormat) + BitPacking.PackedLength(spec.BlocksPerVector, spec.IndexBits);
        Rotation = spec.Rotation;
        HadamardScale = HadamardRotation.Scale(spec.Dimension);
        _table = table;
        _transposed = transposed;
        (_rotationData, _rotationColumns) = rotation switch
        {
            HaarRotation haar => (haar.Rows, haar.Columns),
            HadamardRotation hadamard => (hadamard.Signs, []),
            _ => throw new ArgumentException("Only the Haar and Hadamard rotations are supported.", nameof(rotation)),
        };
        ApproximateSearch = approximate;
    }

    public int Dimension { get; }

    public int BlockSize { get; }

    public int Codewords { get; }

    public int IndexBits { get; }

    public int EncodedSize { get; }

    public NormFormat NormFormat { get; }

    public RotationKind Rotation { get; }

    public float HadamardScale { get; }

    public ReadOnlySpan<float> CodewordTable => _table;

    public ReadOnlySpan<float> TransposedTable => _transposed;

    public ReadOnlySpan<float> RotationData => _rotationData;

    public ReadOnlySpan<float> RotationColumns => _rotationColumns;

    public IBlockSearch? ApproximateSearch { get; }
}
