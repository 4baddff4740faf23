using System;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

public sealed partial class MixedPrecisionKvCache<TCodec>
{
    private sealed partial class CompressedStream
    {
        private readonly KeyScoring? _scoring;

        /// <summary>Whether a fast-scan kernel applies to these codes (see <see cref="FastScanSupport"/>).</summary>
        public bool SupportsFastScan => _scoring?.SupportsFastScan ?? false;

        /// <summary>The score kernel of a key stream.</summary>
        public ScoreKernel Kernel
        {
            get => _scoring!.Kernel;
            set => _scoring!.Kernel = value;
        }

        /// <summary>
        /// Compressed-domain scores, head by head: q' = Π q, LUT_i[n] = ⟨q'_i, c_n⟩ (the codec's table, quantised for
        /// fast scan), then per group of 32 tokens the kernel's Σ_i LUT_i[idx_{t,i}] times ν_t and the scale. Tokens in
        /// the window are scored exactly against their fp32 keys.
        /// </summary>
        public override void Scores(ReadOnlySpan<float> queries, int heads, float scale, int length, int exactFrom, Span<float> scores)
        {
            int d = Dimension, compressed = Math.Min(length, exactFrom);
            for (int h = 0; h < heads; h++)
            {
                ReadOnlySpan<float> query = queries.Slice(h * d, d);
                Span<float> row = scores.Slice(h * length, length);
                if (compressed > 0) _scoring!.Score(_codec, query, compressed, row);
                TensorPrimitives.Multiply(row.Slice(0, compressed), scale, row.Slice(0, compressed));
                for (int t = compressed; t < length; t++) row[t] = scale * TensorPrimitives.Dot(query, Recent(t));
            }
        }

        /// <summary>Score tables and the per-group buffers of a compressed key stream.</summary>
        private sealed class KeyScoring
        {
            private readonly PagedCodes _codes;
            private readonly float[] _rotated;
            private readonly float[] _table;
            private readonly QuantizedScoreTable? _quantized;
            private readonly QuantizedByteScoreTable? _byteQuantized;
            private readonly float[] _group = new float[PagedCodes.GroupTokens];
            private readonly float[] _norms = new float[PagedCodes.PageTokens];
            private ScoreKernel _kernel;

            public KeyScoring(TCodec codec, PagedCodes codes)
            {
                _codes = codes;
                _rotated = new float[codec.Dimension];
                _table = new float[codes.Blocks * codes.Codewords];
                SupportsFastScan = FastScanSupport.Supports(codes);
                _quantized = FastScanSupport.Nibbles(codes) ? new QuantizedScoreTable(codes.StoredBlocks) : null;
                _byteQuantized = FastScanSupport.Packed(codes) ? new QuantizedByteScoreTable(codes.Blocks, codes.Codewords) : null;
                _kernel = SupportsFastScan ? ScoreKernel.FastScan : ScoreKernel.ExactTable;
            }

            public bool SupportsFastScan { get; }

            public ScoreKernel Kernel
            {
                get => _kernel;
                set
                {
                    if (value == ScoreKernel.FastScan && !SupportsFastScan)
                        throw new ArgumentOutOfRangeException(nameof(value), value, FastScanSupport.Requirement);
                    if (value != ScoreKernel.FastScan && value != ScoreKernel.ExactTable)
                        throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown score kernel.");
                    _kernel = value;
                }
            }

            /// <summary>row[t] = ν_t · Σ_i LUT_i[idx_{t,i}] for t &lt; <paramref name="tokens"/> (unscaled).</summary>
            public void Score(TCodec codec, ReadOnlySpan<float> query, int tokens, Span<float> row)
            {
                codec.Rotate(query, _rotated);
                codec.BuildScoreTable(_rotated, _table);
                bool fast = _kernel == ScoreKernel.FastScan;
                if (fast) _quantized?.Quantize(_table);
                if (fast) _byteQuantized?.Quantize(_table);
                for (int start = 0; start < tokens; start += PagedCodes.PageTokens)
                {
                    int page = start / PagedCodes.PageTokens, count = Math.Min(PagedCodes.PageTokens, tokens - start);
                    // Fast scan reads the codes as stored; the exact kernel reads them unpacked (PagedCodes.Layout).
                    ReadOnlySpan<byte> codes = fast ? _codes.StoredPageCodes(page) : _codes.PageCodes(page);
                    int groupBytes = fast ? _codes.StoredGroupBytes : _codes.GroupBytes;
                    Span<float> norms = _norms.AsSpan(0, count);
                    _codes.PageNorms(page, norms);
                    for (int g = 0; g < count; g += PagedCodes.GroupTokens)
                    {
                        ReadOnlySpan<byte> group = codes.Slice(g / PagedCodes.GroupTokens * groupBytes);
                        if (fast && _quantized is not null)
                            FastScanKernel.ScoreGroup(group, _quantized.Table, _codes.StoredBlocks, _quantized.Bias, _quantized.InverseScale, _group);
                        else if (fast)
                            ByteFastScanKernel.ScoreGroup(group, _byteQuantized!.Table, _codes.Blocks, _codes.Bits, _byteQuantized.Bias,
                                _byteQuantized.InverseScale, _group);
                        else ExactScanKernel.ScoreGroup(_codes.Layout, group, _codes.Blocks, _codes.Codewords, _table, _group);
                        int n = Math.Min(PagedCodes.GroupTokens, count - g);
                        TensorPrimitives.Multiply(_group.AsSpan(0, n), norms.Slice(g, n), row.Slice(start + g, n));
                    }
                }
            }
        }
    }
}
