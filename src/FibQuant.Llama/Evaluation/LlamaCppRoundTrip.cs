using System;
using FibQuant.Rotation;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// A llama.cpp q8_0 / q4_0 cache row of one head: d/32 blocks (<see cref="LlamaCppBlocks"/>), optionally behind the
/// rotation llama.cpp applies to quantized caches since its PR 21038 — the orthonormal Walsh–Hadamard matrix
/// H/√d (no random signs), applied to the vector before quantization and again after dequantization (H/√d is its
/// own inverse), which is what rotating Q, K and V and rotating the attention output back amounts to.
/// </summary>
public sealed class LlamaCppRoundTrip : IVectorRoundTrip
{
    private readonly bool _q4;
    private readonly bool _hadamard;
    private readonly float[] _rotated;
    private readonly byte[] _block;
    private readonly float _scale;

    /// <summary>Creates a round trip for head dimension d (a multiple of 32; a power of two with the rotation).</summary>
    /// <param name="dimension">Head dimension d.</param>
    /// <param name="q4">q4_0 (true) or q8_0 (false).</param>
    /// <param name="hadamard">Rotate with H/√d before quantizing.</param>
    public LlamaCppRoundTrip(int dimension, bool q4, bool hadamard)
    {
        if (dimension <= 0 || dimension % LlamaCppBlocks.BlockValues != 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"dimension must be a positive multiple of {LlamaCppBlocks.BlockValues}.");
        if (hadamard && (dimension & (dimension - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The Hadamard rotation needs a power-of-two dimension.");
        Dimension = dimension;
        _q4 = q4;
        _hadamard = hadamard;
        _rotated = new float[dimension];
        _block = new byte[q4 ? LlamaCppBlocks.Q4_0Bytes : LlamaCppBlocks.Q8_0Bytes];
        _scale = 1f / MathF.Sqrt(dimension);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public void RoundTrip(ReadOnlySpan<float> vector, Span<float> reconstruction)
    {
        RoundTripArguments.Check(Dimension, vector, reconstruction);
        Span<float> work = _rotated;
        vector.CopyTo(work);
        if (_hadamard) Hadamard(work);
        for (int start = 0; start < Dimension; start += LlamaCppBlocks.BlockValues)
        {
            Span<float> values = work.Slice(start, LlamaCppBlocks.BlockValues);
            if (_q4)
            {
                LlamaCppBlocks.QuantizeQ4_0(values, _block);
                LlamaCppBlocks.DequantizeQ4_0(_block, reconstruction.Slice(start, LlamaCppBlocks.BlockValues));
            }
            else
            {
                LlamaCppBlocks.QuantizeQ8_0(values, _block);
                LlamaCppBlocks.DequantizeQ8_0(_block, reconstruction.Slice(start, LlamaCppBlocks.BlockValues));
            }
        }

        if (_hadamard) Hadamard(reconstruction);
    }

    private void Hadamard(Span<float> values)
    {
        WalshHadamard.Transform(values);
        for (int i = 0; i < values.Length; i++) values[i] *= _scale;
    }
}
