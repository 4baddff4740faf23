using System;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Coding;

/// <summary>A generated codebook's layout: every member is a constant or constant data of <typeparamref name="TShape"/>.</summary>
internal readonly struct ConstantLayout<TShape> : ICodecLayout where TShape : ICodebookShape
{
    public int Dimension => TShape.Dimension;

    public int BlockSize => TShape.BlockSize;

    public int Codewords => TShape.Codewords;

    public int IndexBits => TShape.IndexBits;

    public int EncodedSize => TShape.EncodedSize;

    public NormFormat NormFormat => TShape.NormFormat;

    public RotationKind Rotation => TShape.Rotation;

    public float HadamardScale => HadamardRotation.Scale(TShape.Dimension);

    public ReadOnlySpan<float> CodewordTable => TShape.CodewordTable;

    public ReadOnlySpan<float> TransposedTable => TShape.TransposedTable;

    public ReadOnlySpan<float> RotationData => TShape.RotationData;

    public ReadOnlySpan<float> RotationColumns => TShape.RotationColumns;

    public IBlockSearch? ApproximateSearch => EncoderChoice.ForShape<TShape>.Search;
}
