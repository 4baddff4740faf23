using System;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

public sealed partial class MixedPrecisionKvCache<TCodec>
{
    private sealed partial class CompressedStream
    {
        private readonly ValueAccumulation? _values;

        /// <summary>
        /// Σ_t p_t ν_t c_idx accumulated in the rotated domain with the value kernels (<see cref="ValuePermuteKernel"/>
        /// where it applies, else <see cref="ValueHistogram"/>) and rotated back once per head; tokens in the window add
        /// their fp32 values.
        /// </summary>
        public override void Accumulate(ReadOnlySpan<float> probabilities, int heads, int length, int exactFrom, Span<float> outputs)
        {
            int d = Dimension, compressed = Math.Min(length, exactFrom);
            if (compressed > 0) _values!.Accumulate(_codec, probabilities, heads, length, compressed, outputs);
            else outputs.Clear();
            for (int h = 0; h < heads; h++)
            {
                Span<float> output = outputs.Slice(h * d, d);
                for (int t = compressed; t < length; t++) TensorPrimitives.MultiplyAdd(Recent(t), probabilities[h * length + t], output, output);
            }
        }

        /// <summary>The value kernels' tables and accumulators of a compressed value stream.</summary>
        private sealed class ValueAccumulation
        {
            private readonly PagedCodes _codes;
            private readonly float[]? _permuteTables;
            private readonly float[] _histogram;
            private readonly float[] _rotated;
            private readonly float[] _norms = new float[PagedCodes.PageTokens];
            private float[] _weights = new float[PagedCodes.PageTokens];
            private float[] _accumulators = Array.Empty<float>();

            public ValueAccumulation(TCodec codec, PagedCodes codes)
            {
                _codes = codes;
                _rotated = new float[codec.Dimension];
                bool permute = ValuePermuteKernel.Supports(codes.Layout, codes.Codewords);
                _permuteTables = permute ? ValuePermuteKernel.BuildTables(codec.CodewordTable, codec.BlockSize) : null;
                _histogram = permute ? Array.Empty<float>() : new float[ValueHistogram.Copies(codes.Layout) * codes.Blocks * codes.Codewords];
            }

            /// <summary>outputs[h] = Σ_{t &lt; compressed} p[h·length + t] · v̂_t (overwrites outputs).</summary>
            public void Accumulate(TCodec codec, ReadOnlySpan<float> p, int heads, int length, int compressed, Span<float> outputs)
            {
                int d = codec.Dimension;
                if (_permuteTables is null)
                {
                    for (int h = 0; h < heads; h++) Histogram(codec, p.Slice(h * length, compressed), outputs.Slice(h * d, d));
                    return;
                }

                // The permute kernel takes every head's weights for a page at once: one row of PageTokens per head.
                if (_weights.Length < heads * PagedCodes.PageTokens) _weights = new float[heads * PagedCodes.PageTokens];
                if (_accumulators.Length < heads * d * ValuePermuteKernel.Lanes) _accumulators = new float[heads * d * ValuePermuteKernel.Lanes];
                Span<float> accumulators = _accumulators.AsSpan(0, heads * d * ValuePermuteKernel.Lanes);
                accumulators.Clear();
                for (int start = 0; start < compressed; start += PagedCodes.PageTokens)
                {
                    int page = start / PagedCodes.PageTokens, tokens = Math.Min(PagedCodes.PageTokens, compressed - start);
                    int padded = (tokens + PagedCodes.GroupTokens - 1) / PagedCodes.GroupTokens * PagedCodes.GroupTokens;
                    Span<float> norms = _norms.AsSpan(0, tokens);
                    _codes.PageNorms(page, norms);
                    for (int h = 0; h < heads; h++)
                    {
                        Span<float> row = _weights.AsSpan(h * PagedCodes.PageTokens, PagedCodes.PageTokens);
                        TensorPrimitives.Multiply(p.Slice(h * length + start, tokens), norms, row.Slice(0, tokens));
                        row.Slice(tokens, padded - tokens).Clear();
                    }

                    if (WordPermuteValueKernel.Supports(_codes.Layout, _codes.Codewords, codec.BlockSize))
                        WordPermuteValueKernel.AccumulatePage(_codes, page, tokens, _permuteTables, codec.BlockSize, _weights, heads, accumulators);
                    else ValuePermuteKernel.AccumulatePage(_codes, page, tokens, _permuteTables, codec.BlockSize, _weights, heads, accumulators);
                }

                for (int h = 0; h < heads; h++)
                {
                    ValuePermuteKernel.Reduce(accumulators.Slice(h * d * ValuePermuteKernel.Lanes, d * ValuePermuteKernel.Lanes), _rotated);
                    codec.InverseRotate(_rotated, outputs.Slice(h * d, d));
                }
            }

            private void Histogram(TCodec codec, ReadOnlySpan<float> p, Span<float> output)
            {
                Span<float> histogram = _histogram;
                histogram.Clear();
                for (int start = 0; start < p.Length; start += PagedCodes.PageTokens)
                {
                    int page = start / PagedCodes.PageTokens, tokens = Math.Min(PagedCodes.PageTokens, p.Length - start);
                    Span<float> norms = _norms.AsSpan(0, tokens);
                    _codes.PageNorms(page, norms);
                    TensorPrimitives.Multiply(p.Slice(start, tokens), norms, _weights.AsSpan(0, tokens));
                    ValueHistogram.Accumulate(_codes, page, tokens, _weights, histogram);
                }

                ValueHistogram.Reconstruct(histogram, codec.CodewordTable, _codes.Blocks, codec.BlockSize, _rotated);
                codec.InverseRotate(_rotated, output);
            }
        }
    }
}
