using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics.Tensors;

namespace FibQuant.Attention;

public sealed partial class MixedPrecisionKvCache<TCodec>
{
    /// <summary>
    /// A stream held in fp32 or fp16, in pages of <see cref="PageTokens"/> tokens (growth adds a page, nothing is
    /// copied). Attention widens one page of fp16 rows at a time into a scratch chunk and uses TensorPrimitives dot
    /// products and multiply-adds on it, for every query head of a group while the chunk is in L1.
    /// </summary>
    private sealed class FullPrecisionStream : KvStream
    {
        /// <summary>Tokens per page; also the fp16 conversion chunk.</summary>
        private const int PageTokens = 64;

        private readonly bool _half;
        private readonly List<float[]> _singlePages = new();
        private readonly List<Half[]> _halfPages = new();
        private readonly float[] _pending;
        private readonly Half[] _pendingHalf;
        private readonly float[] _chunk;

        public FullPrecisionStream(int dimension, bool half) : base(dimension)
        {
            _half = half;
            _pending = new float[dimension];
            _pendingHalf = half ? new Half[dimension] : Array.Empty<Half>();
            _chunk = half ? new float[PageTokens * dimension] : Array.Empty<float>();
        }

        public override long PayloadBytes(long tokens) => tokens * StoredSize;

        public override int StoredSize => Dimension * (_half ? 2 : sizeof(float));

        public override bool KeepsRecent => false;

        public override void Prepare(ReadOnlySpan<float> vector, string paramName)
        {
            for (int i = 0; i < vector.Length; i++)
            {
                if (!float.IsFinite(vector[i]))
                    throw new ArgumentException($"{paramName} holds {vector[i]} at index {i}; the cache stores finite values only.", paramName);
            }

            if (!_half)
            {
                vector.CopyTo(_pending);
                return;
            }

            TensorPrimitives.ConvertToHalf(vector, _pendingHalf);
            for (int i = 0; i < vector.Length; i++)
            {
                if (Half.IsInfinity(_pendingHalf[i]))
                    throw new ArgumentException(
                        $"{paramName} holds {vector[i]} at index {i}, beyond fp16's range ±{(float)Half.MaxValue}; store this stream in fp32.", paramName);
            }
        }

        public override void PrepareStored(ReadOnlySpan<byte> stored, int token)
        {
            for (int i = 0; i < Dimension; i++)
            {
                float v = _half
                    ? (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(stored.Slice(2 * i)))
                    : BinaryPrimitives.ReadSingleLittleEndian(stored.Slice(sizeof(float) * i));
                if (!float.IsFinite(v))
                    throw new InvalidDataException($"Corrupt KV cache file: token {token} holds {v} at index {i}; only finite values are stored.");
                if (_half) _pendingHalf[i] = (Half)v;
                else _pending[i] = v;
            }
        }

        public override void Commit(int position, ReadOnlySpan<float> recent)
        {
            int page = position / PageTokens, offset = position % PageTokens * Dimension;
            if (_half)
            {
                if (page == _halfPages.Count) _halfPages.Add(new Half[PageTokens * Dimension]);
                _pendingHalf.CopyTo(_halfPages[page].AsSpan(offset, Dimension));
            }
            else
            {
                if (page == _singlePages.Count) _singlePages.Add(new float[PageTokens * Dimension]);
                _pending.CopyTo(_singlePages[page].AsSpan(offset, Dimension));
            }
        }

        public override void CopyStored(int position, Span<byte> destination)
        {
            int page = position / PageTokens, offset = position % PageTokens * Dimension;
            for (int i = 0; i < Dimension; i++)
            {
                if (_half) BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(2 * i), BitConverter.HalfToUInt16Bits(_halfPages[page][offset + i]));
                else BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(sizeof(float) * i), _singlePages[page][offset + i]);
            }
        }

        public override ReadOnlySpan<float> Recent(int position) =>
            throw new InvalidOperationException("A full-precision stream keeps no separate recent window.");

        public override void Decode(int position, int exactFrom, Span<float> vector)
        {
            int page = position / PageTokens, offset = position % PageTokens * Dimension;
            if (_half) TensorPrimitives.ConvertToSingle(_halfPages[page].AsSpan(offset, Dimension), vector);
            else _singlePages[page].AsSpan(offset, Dimension).CopyTo(vector);
        }

        public override void Scores(ReadOnlySpan<float> queries, int heads, float scale, int length, int exactFrom, Span<float> scores)
        {
            int d = Dimension;
            for (int start = 0; start < length; start += PageTokens)
            {
                int tokens = Math.Min(PageTokens, length - start);
                ReadOnlySpan<float> rows = Rows(start / PageTokens, tokens);
                for (int h = 0; h < heads; h++)
                {
                    ReadOnlySpan<float> query = queries.Slice(h * d, d);
                    Span<float> row = scores.Slice(h * length + start, tokens);
                    for (int t = 0; t < tokens; t++) row[t] = scale * TensorPrimitives.Dot(query, rows.Slice(t * d, d));
                }
            }
        }

        public override void Accumulate(ReadOnlySpan<float> probabilities, int heads, int length, int exactFrom, Span<float> outputs)
        {
            int d = Dimension;
            outputs.Clear();
            for (int start = 0; start < length; start += PageTokens)
            {
                int tokens = Math.Min(PageTokens, length - start);
                ReadOnlySpan<float> rows = Rows(start / PageTokens, tokens);
                for (int h = 0; h < heads; h++)
                {
                    Span<float> output = outputs.Slice(h * d, d);
                    ReadOnlySpan<float> p = probabilities.Slice(h * length + start, tokens);
                    for (int t = 0; t < tokens; t++) TensorPrimitives.MultiplyAdd(rows.Slice(t * d, d), p[t], output, output);
                }
            }
        }

        public override void Truncate(int count)
        {
            // Pages stay allocated for reuse; rows past the count are overwritten by later appends.
        }

        /// <summary>The first <paramref name="tokens"/> rows of a page as fp32 (fp16 pages widened into the chunk).</summary>
        private ReadOnlySpan<float> Rows(int page, int tokens)
        {
            int n = tokens * Dimension;
            if (!_half) return _singlePages[page].AsSpan(0, n);
            Span<float> chunk = _chunk.AsSpan(0, n);
            TensorPrimitives.ConvertToSingle(_halfPages[page].AsSpan(0, n), chunk);
            return chunk;
        }
    }
}
