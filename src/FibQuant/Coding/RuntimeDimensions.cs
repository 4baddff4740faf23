using System.Numerics;

namespace FibQuant.Coding;

/// <summary>Sizes known only at run time: what the kernels get when called outside the codec pipeline.</summary>
internal readonly struct RuntimeDimensions(int dimension, int blockSize, int codewords) : ICodecDimensions
{
    public int Dimension { get; } = dimension;

    public int BlockSize { get; } = blockSize;

    public int Codewords { get; } = codewords;

    public int IndexBits => BitOperations.Log2((uint)Codewords);
}
