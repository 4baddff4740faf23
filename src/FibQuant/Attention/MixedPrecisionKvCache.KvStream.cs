using System;

namespace FibQuant.Attention;

public sealed partial class MixedPrecisionKvCache<TCodec>
{
    /// <summary>
    /// One stream of the cache, its keys or its values. Appending is two-phase — <c>Prepare</c> validates (and encodes)
    /// into the stream's pending slot, <c>Commit</c> stores it — so the cache validates both streams before storing
    /// either, and a refused token leaves the cache unchanged. Attention calls are made once per query group, never per
    /// token, so the virtual dispatch costs nothing measurable.
    /// </summary>
    private abstract class KvStream
    {
        protected KvStream(int dimension) => Dimension = dimension;

        /// <summary>Head dimension d.</summary>
        public int Dimension { get; }

        /// <summary>Bytes held in memory for <paramref name="tokens"/> tokens (payload; a compressed stream's fp32 window is counted by the cache).</summary>
        public abstract long PayloadBytes(long tokens);

        /// <summary>Bytes per token in <see cref="MixedPrecisionKvCacheFile"/>: fp32 or fp16 components, or the codec's encoded form.</summary>
        public abstract int StoredSize { get; }

        /// <summary>Whether the stream holds the recent window's tokens in fp32 as well (compressed streams of a windowed cache).</summary>
        public abstract bool KeepsRecent { get; }

        /// <summary>Validates <paramref name="vector"/> (length d) into the pending slot; stores nothing.</summary>
        /// <exception cref="ArgumentException">A component is NaN or ±∞, or beyond the storage's range.</exception>
        public abstract void Prepare(ReadOnlySpan<float> vector, string paramName);

        /// <summary>Validates one token read from a cache file (<see cref="StoredSize"/> bytes) into the pending slot.</summary>
        /// <exception cref="System.IO.InvalidDataException">The bytes are not a valid token of this stream.</exception>
        public abstract void PrepareStored(ReadOnlySpan<byte> stored, int token);

        /// <summary>Stores the pending token at <paramref name="position"/>; <paramref name="recent"/> is its fp32 vector for the window, or empty.</summary>
        public abstract void Commit(int position, ReadOnlySpan<float> recent);

        /// <summary>Writes token <paramref name="position"/> in its stored form (<see cref="StoredSize"/> bytes, little-endian).</summary>
        public abstract void CopyStored(int position, Span<byte> destination);

        /// <summary>The fp32 vector of a token in the recent window (<see cref="KeepsRecent"/> streams only).</summary>
        public abstract ReadOnlySpan<float> Recent(int position);

        /// <summary>The vector attention uses for token <paramref name="position"/>; tokens at or after <paramref name="exactFrom"/> come from the window.</summary>
        public abstract void Decode(int position, int exactFrom, Span<float> vector);

        /// <summary>
        /// scores[h·length + t] = scale · ⟨queries_h, x_t⟩ for the <paramref name="heads"/> queries (head-major, d each) and
        /// t &lt; <paramref name="length"/>; tokens at or after <paramref name="exactFrom"/> use the fp32 window.
        /// </summary>
        public abstract void Scores(ReadOnlySpan<float> queries, int heads, float scale, int length, int exactFrom, Span<float> scores);

        /// <summary>outputs[h] = Σ_t probabilities[h·length + t] · x_t over t &lt; <paramref name="length"/> (overwrites outputs).</summary>
        public abstract void Accumulate(ReadOnlySpan<float> probabilities, int heads, int length, int exactFrom, Span<float> outputs);

        /// <summary>Keeps the first <paramref name="count"/> tokens.</summary>
        public abstract void Truncate(int count);
    }
}
