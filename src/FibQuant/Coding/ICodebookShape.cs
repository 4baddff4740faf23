using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// A codebook known at compile time: its (d, k, N), format and data as static members. The generator emits one per
/// declared codebook (the nested <c>Codec</c> struct, which also implements <see cref="IVectorCodec"/>);
/// <see cref="ShapedCodec{TShape}"/> runs the runtime's kernels over it, so the JIT and NativeAOT fold d, k and N into
/// one instantiation per codebook. The data must be what the runtime designer produces for the same spec: the codes
/// are then identical to <see cref="FibQuantizer"/>'s.
/// </summary>
public interface ICodebookShape
{
    /// <summary>Vector length d.</summary>
    static abstract int Dimension { get; }

    /// <summary>Block length k (divides d).</summary>
    static abstract int BlockSize { get; }

    /// <summary>Codebook size N, a power of two.</summary>
    static abstract int Codewords { get; }

    /// <summary>Bits per index, log2 N.</summary>
    static abstract int IndexBits { get; }

    /// <summary>Bytes per encoded vector: the norm header, then d/k packed indices.</summary>
    static abstract int EncodedSize { get; }

    /// <summary>The norm header's format.</summary>
    static abstract NormFormat NormFormat { get; }

    /// <summary>The codebook fingerprint recorded with encoded data.</summary>
    static abstract ulong Fingerprint { get; }

    /// <summary>The rotation kind.</summary>
    static abstract RotationKind Rotation { get; }

    /// <summary>Codewords, N×k row-major.</summary>
    static abstract ReadOnlySpan<float> CodewordTable { get; }

    /// <summary>Codewords transposed, k×N ([j·N + n] = c_n[j]): the layout the exact search reads.</summary>
    static abstract ReadOnlySpan<float> TransposedTable { get; }

    /// <summary>Haar: Π row-major (d×d). Hadamard: the sign rounds (3×d entries of ±1).</summary>
    static abstract ReadOnlySpan<float> RotationData { get; }

    /// <summary>Haar: Πᵀ row-major (d×d), the layout the forward sweep reads. Hadamard: empty.</summary>
    static abstract ReadOnlySpan<float> RotationColumns { get; }
}
