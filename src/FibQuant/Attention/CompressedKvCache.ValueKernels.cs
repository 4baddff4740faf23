using System;

namespace FibQuant.Attention;

public sealed partial class CompressedKvCache<TCodec>
{
    /// <summary>
    /// Adds one page of values to the lane accumulators: byte codes (N ≤ 64, packed codes unpacked) with
    /// <see cref="WordPermuteValueKernel"/> where AVX-512BW is present, nibbles with <see cref="ValuePermuteKernel"/>.
    /// </summary>
    private void AccumulateValuePage(int page, int tokens, ReadOnlySpan<float> tables, ReadOnlySpan<float> weights, int heads, Span<float> accumulators)
    {
        if (WordPermuteValueKernel.Supports(_values.Layout, _values.Codewords, _valueCodec.BlockSize))
            WordPermuteValueKernel.AccumulatePage(_values, page, tokens, tables, _valueCodec.BlockSize, weights, heads, accumulators);
        else ValuePermuteKernel.AccumulatePage(_values, page, tokens, tables, _valueCodec.BlockSize, weights, heads, accumulators);
    }
}
