using System;
using System.Buffers.Binary;

namespace FibQuant.Coding;

/// <summary>Writes <see cref="EncodedBlock"/> containers.</summary>
public static class EncodedBlockWriter
{
    /// <summary>
    /// Encodes <paramref name="vectors"/> (count·d values) with <paramref name="codec"/> and returns the container.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors are not a whole number of d-vectors, or hold a non-finite value.</exception>
    public static byte[] Encode<TCodec>(TCodec codec, ReadOnlySpan<float> vectors) where TCodec : IVectorCodec
    {
        if (codec is null) throw new ArgumentNullException(nameof(codec));
        int d = codec.Dimension;
        if (vectors.Length % d != 0)
            throw new ArgumentException($"vectors length {vectors.Length} is not a multiple of the dimension {d}.", nameof(vectors));
        int count = vectors.Length / d, size = codec.EncodedSize;
        byte[] block = new byte[EncodedBlock.Size(size, count)];
        Span<byte> payload = block.AsSpan(EncodedBlock.HeaderSize, count * size);
        for (int i = 0; i < count; i++) codec.Encode(vectors.Slice(i * d, d), payload.Slice(i * size, size));
        Seal(codec, count, block);
        return block;
    }

    /// <summary>
    /// Wraps codes already produced by <paramref name="codec"/> (count × EncodedSize bytes) into a container. The codes
    /// are copied as they are; a reader validates each one.
    /// </summary>
    /// <exception cref="ArgumentException">The codes are not a whole number of encoded vectors.</exception>
    public static byte[] Wrap<TCodec>(TCodec codec, ReadOnlySpan<byte> codes) where TCodec : IVectorCodec
    {
        if (codec is null) throw new ArgumentNullException(nameof(codec));
        int size = codec.EncodedSize;
        if (codes.Length % size != 0)
            throw new ArgumentException($"codes length {codes.Length} is not a multiple of EncodedSize {size}.", nameof(codes));
        int count = codes.Length / size;
        byte[] block = new byte[EncodedBlock.Size(size, count)];
        codes.CopyTo(block.AsSpan(EncodedBlock.HeaderSize));
        Seal(codec, count, block);
        return block;
    }

    private static void Seal<TCodec>(TCodec codec, int count, byte[] block) where TCodec : IVectorCodec
    {
        EncodedBlock.WriteHeader(block, codec.NormFormat, codec.Fingerprint, codec.Dimension, codec.EncodedSize, count);
        int end = block.Length - EncodedBlock.ChecksumSize;
        BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(end), EncodedBlock.Checksum(block.AsSpan(0, end)));
    }
}
