using System;
using System.IO;
using System.Numerics;
using FibQuant.Coding;

namespace FibQuant.Attention;

public sealed partial class MixedPrecisionKvCache<TCodec>
{
    /// <summary>
    /// A stream held compressed, exactly as one stream of <see cref="CompressedKvCache{TCodec}"/> holds it
    /// (<see cref="PagedCodes"/>: the norm in the codec's header format and the codes in their <see cref="CodeLayout"/>),
    /// with an optional fp32 ring of the most recent W tokens (token p in slot p mod W). As keys it scores with the
    /// existing score kernels, as values it accumulates with the existing value kernels (the partial files beside this).
    /// </summary>
    private sealed partial class CompressedStream : KvStream
    {
        private readonly TCodec _codec;
        private readonly PagedCodes _codes;
        private readonly float[]? _recent;
        private readonly int _recentCapacity;
        private readonly byte[] _code;
        private readonly ushort[] _pendingIndices;
        private readonly ushort[] _readIndices;
        private float _pendingNorm;

        public CompressedStream(TCodec codec, int recentWindow, bool keys) : base(codec.Dimension)
        {
            _codec = codec;
            _codes = new PagedCodes(codec.Dimension / codec.BlockSize, codec.Codewords, codec.NormFormat);
            _recentCapacity = recentWindow;
            _recent = recentWindow > 0 ? new float[recentWindow * codec.Dimension] : null;
            _code = new byte[codec.EncodedSize];
            _pendingIndices = new ushort[_codes.Blocks];
            _readIndices = new ushort[_codes.Blocks];
            if (keys) _scoring = new KeyScoring(codec, _codes);
            else _values = new ValueAccumulation(codec, _codes);
        }

        public TCodec Codec => _codec;

        /// <summary>How the codes are stored.</summary>
        public CodeLayout Layout => _codes.Storage;

        public override long PayloadBytes(long tokens) => _codes.PayloadBytes(tokens);

        public override int StoredSize => _codec.EncodedSize;

        public override bool KeepsRecent => _recent is not null;

        /// <summary>Checks a codec's shape before a stream is built over it.</summary>
        public static void CheckCodec(TCodec codec, int dimension, string paramName)
        {
            int d = codec.Dimension, k = codec.BlockSize, n = codec.Codewords;
            if (d != dimension) throw new ArgumentException($"The codec's dimension {d} differs from headDimension = {dimension}.", paramName);
            if (k < 1 || d % k != 0) throw new ArgumentException($"Block size k = {k} must divide d = {d}.", paramName);
            if (n < 2 || !BitOperations.IsPow2(n) || n > 65536) throw new ArgumentException($"Codebook size N = {n} must be a power of two in [2, 65536].", paramName);
            int expected = NormHeader.Size(codec.NormFormat) + BitPacking.PackedLength(d / k, BitOperations.Log2((uint)n));
            if (codec.EncodedSize != expected)
                throw new ArgumentException($"Codec EncodedSize {codec.EncodedSize} differs from header + packed indices = {expected}.", paramName);
        }

        public override void Prepare(ReadOnlySpan<float> vector, string paramName)
        {
            try
            {
                _codec.Encode(vector, _code);
            }
            catch (ArgumentException e)
            {
                // The codec names its own parameter (a NaN, ±∞, or a norm beyond the header's range); name the cache's.
                throw new ArgumentException($"{paramName}: {e.Message}", paramName, e);
            }

            Parse(_code);
        }

        public override void PrepareStored(ReadOnlySpan<byte> stored, int token)
        {
            try
            {
                Parse(stored);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"Corrupt KV cache file: token {token}: {e.Message}", e);
            }
        }

        public override void Commit(int position, ReadOnlySpan<float> recent)
        {
            _codes.Append(_pendingNorm, _pendingIndices);
            if (_recent is not null && recent.Length == Dimension) recent.CopyTo(_recent.AsSpan(position % _recentCapacity * Dimension, Dimension));
        }

        public override void CopyStored(int position, Span<byte> destination)
        {
            _codes.ReadIndices(position, _readIndices);
            NormHeader.Write(destination, _codes.Norm(position), _codec.NormFormat);
            BitPacking.Pack(_readIndices, IndexBits, destination.Slice(NormHeader.Size(_codec.NormFormat), _codec.EncodedSize - NormHeader.Size(_codec.NormFormat)));
        }

        public override ReadOnlySpan<float> Recent(int position) => _recent.AsSpan(position % _recentCapacity * Dimension, Dimension);

        public override void Decode(int position, int exactFrom, Span<float> vector)
        {
            if (position >= exactFrom)
            {
                Recent(position).CopyTo(vector);
                return;
            }

            CopyStored(position, _code);
            _codec.Decode(_code, vector);
        }

        public override void Truncate(int count) => _codes.Truncate(count);

        private int IndexBits => BitOperations.Log2((uint)_codec.Codewords);

        /// <summary>Reads a code's norm and indices into the pending slot (NormHeader and BitPacking check them).</summary>
        private void Parse(ReadOnlySpan<byte> code)
        {
            int header = NormHeader.Size(_codec.NormFormat);
            _pendingNorm = NormHeader.Read(code, _codec.NormFormat);
            BitPacking.Unpack(code.Slice(header, _codec.EncodedSize - header), IndexBits, _pendingIndices);
        }
    }
}
