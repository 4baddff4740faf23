using System;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Generation;

/// <summary>
/// Declares a compile-time designed codebook on a top-level <c>static partial class</c>. The FibQuant source generator
/// designs the codebook while compiling (bit-identical to <see cref="CodebookDesigner.Design"/>) and emits its table,
/// rotation data, fingerprint and specialised encode / decode / score methods into the class, plus a nested
/// <c>Codec</c> struct implementing <see cref="ICodebookShape"/> and <see cref="IVectorCodec"/>.
/// </summary>
/// <example><code>[FibQuantCodebook(64, 2, 16, Seed = 7)] static partial class Kv64;</code></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class FibQuantCodebookAttribute : Attribute
{
    /// <summary>Declares a codebook for vectors of length <paramref name="dimension"/>.</summary>
    /// <param name="dimension">Vector length d.</param>
    /// <param name="blockSize">Block length k; must divide d.</param>
    /// <param name="codewords">Codebook size N, a power of two.</param>
    public FibQuantCodebookAttribute(int dimension, int blockSize, int codewords)
    {
        Dimension = dimension;
        BlockSize = blockSize;
        Codewords = codewords;
    }

    /// <summary>Vector length d.</summary>
    public int Dimension { get; }

    /// <summary>Block length k.</summary>
    public int BlockSize { get; }

    /// <summary>Codebook size N.</summary>
    public int Codewords { get; }

    /// <summary>Design seed (default 0).</summary>
    public ulong Seed { get; set; }

    /// <summary>The shared rotation (default Haar).</summary>
    public RotationKind Rotation { get; set; } = RotationKind.Haar;

    /// <summary>The norm header format (default fp16).</summary>
    public NormFormat NormFormat { get; set; } = NormFormat.Half;

    /// <summary>Training blocks; 0 (the default) picks <see cref="CodebookSpec.DefaultTrainingSamples"/>.</summary>
    public int TrainingSamples { get; set; }

    /// <summary>Lloyd–Max restarts (default <see cref="CodebookSpec.DefaultRestarts"/>).</summary>
    public int Restarts { get; set; } = CodebookSpec.DefaultRestarts;
}
