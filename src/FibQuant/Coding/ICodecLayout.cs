using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// What <see cref="CodecPipeline"/> reads of one codebook. Two structs implement it: <see cref="RuntimeLayout"/> (the
/// values held by a <see cref="FibQuantizer"/>) and <see cref="ConstantLayout{TShape}"/> (a generated shape's constants
/// and constant data, which the JIT folds into the pipeline's one instantiation per codebook).
/// </summary>
internal interface ICodecLayout : ICodecDimensions
{
    int EncodedSize { get; }

    NormFormat NormFormat { get; }

    RotationKind Rotation { get; }

    /// <summary>Hadamard: s = d^(−3/2). Haar: unused.</summary>
    float HadamardScale { get; }

    /// <summary>Codewords, N×k row-major.</summary>
    ReadOnlySpan<float> CodewordTable { get; }

    /// <summary>Codewords transposed, k×N: what the exact search reads.</summary>
    ReadOnlySpan<float> TransposedTable { get; }

    /// <summary>Haar: Π row-major. Hadamard: the sign rounds.</summary>
    ReadOnlySpan<float> RotationData { get; }

    /// <summary>Haar: Πᵀ row-major. Hadamard: empty.</summary>
    ReadOnlySpan<float> RotationColumns { get; }

    /// <summary>The approximate block search, or null for the exact search over <see cref="TransposedTable"/>.</summary>
    IBlockSearch? ApproximateSearch { get; }
}
