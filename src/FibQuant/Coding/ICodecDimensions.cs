namespace FibQuant.Coding;

/// <summary>
/// The sizes the kernels loop over: d, k, N and log2 N. The search, the Hadamard rounds, the bit packing and the gather
/// are generic over it, so one source serves both codecs: over <see cref="ConstantLayout{TShape}"/> every member is a
/// constant and the JIT compiles a copy per codebook with fixed trip counts and folded branches; over
/// <see cref="RuntimeLayout"/> or <see cref="RuntimeDimensions"/> the same code reads the values.
/// </summary>
internal interface ICodecDimensions
{
    /// <summary>Vector length d (or, outside the pipeline, the values one call covers).</summary>
    int Dimension { get; }

    /// <summary>Block length k.</summary>
    int BlockSize { get; }

    /// <summary>Codebook size N.</summary>
    int Codewords { get; }

    /// <summary>Bits per packed index, log2 N.</summary>
    int IndexBits { get; }
}
