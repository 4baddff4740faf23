using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>The header of a validated <see cref="EncodedBlock"/> container.</summary>
/// <param name="NormFormat">The norm header format of every code.</param>
/// <param name="Fingerprint">The fingerprint of the codebook that produced the codes.</param>
/// <param name="Dimension">Vector length d.</param>
/// <param name="EncodedSize">Bytes per encoded vector.</param>
/// <param name="Count">Number of encoded vectors.</param>
public readonly record struct EncodedBlockInfo(NormFormat NormFormat, ulong Fingerprint, int Dimension, int EncodedSize, int Count);

/// <summary>
/// Reads <see cref="EncodedBlock"/> containers from untrusted bytes. Every header field is checked against the input
/// length before the payload is read, and against the codec before anything is allocated; the only allocation is the
/// count·d output of <see cref="Decode{TCodec}(TCodec, ReadOnlySpan{byte})"/>, whose count is bounded by the input length.
/// Every rejection of the data is an <see cref="InvalidDataException"/> naming what is wrong.
/// </summary>
public static class EncodedBlockReader
{
    /// <summary>Validates the container's structure (magic, version, fields, length, checksum) and returns its header.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed container.</exception>
    public static EncodedBlockInfo ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < EncodedBlock.HeaderSize + EncodedBlock.ChecksumSize)
            throw new InvalidDataException($"Truncated encoded block: {data.Length} bytes, the header and checksum alone take {EncodedBlock.HeaderSize + EncodedBlock.ChecksumSize}.");
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != EncodedBlock.Magic)
            throw new InvalidDataException("Not a FibQuant encoded block: the magic bytes are not \"FQEB\".");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(4));
        if (version != EncodedBlock.Version)
            throw new InvalidDataException($"Unsupported encoded block version {version}; this library reads version {EncodedBlock.Version}.");
        byte format = data[6];
        if (format != (byte)NormFormat.Half && format != (byte)NormFormat.Single)
            throw new InvalidDataException($"Corrupt encoded block: unknown norm format {format}.");
        if (data[7] != 0)
            throw new InvalidDataException($"Corrupt encoded block: the reserved byte is {data[7]}, expected 0.");
        var normFormat = (NormFormat)format;
        ulong fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(8));
        int d = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(16));
        int size = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(20));
        int count = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(24));
        if (d < 2 || d > CodebookSpec.MaxDimension)
            throw new InvalidDataException($"Corrupt encoded block: dimension {d} is outside [2, {CodebookSpec.MaxDimension}].");
        int header = NormHeader.Size(normFormat);
        int largest = header + BitPacking.PackedLength(d, 16);
        if (size <= header || size > largest)
            throw new InvalidDataException($"Corrupt encoded block: encoded size {size} is outside [{header + 1}, {largest}] for d = {d}.");
        if (count < 0)
            throw new InvalidDataException($"Corrupt encoded block: negative vector count {count}.");
        long payload = data.Length - EncodedBlock.HeaderSize - EncodedBlock.ChecksumSize;
        if ((long)count * size != payload)
            throw new InvalidDataException($"Corrupt encoded block: {count} vectors of {size} bytes need {(long)count * size} payload bytes, the input holds {payload}.");
        int end = data.Length - EncodedBlock.ChecksumSize;
        if (BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(end)) != EncodedBlock.Checksum(data.Slice(0, end)))
            throw new InvalidDataException("Corrupt encoded block: the checksum does not match.");
        return new EncodedBlockInfo(normFormat, fingerprint, d, size, count);
    }

    /// <summary>
    /// Validates the container for <paramref name="codec"/> — structure, then fingerprint, d, norm format and encoded
    /// size, then every code's norm header and padding bits — and returns the codes (a slice of <paramref name="data"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The container is corrupt or was written by another codec.</exception>
    public static ReadOnlySpan<byte> ReadCodes<TCodec>(TCodec codec, ReadOnlySpan<byte> data, out EncodedBlockInfo info) where TCodec : IVectorCodec
    {
        if (codec is null) throw new ArgumentNullException(nameof(codec));
        info = ReadHeader(data);
        if (info.Fingerprint != codec.Fingerprint)
            throw new InvalidDataException($"Encoded block was written with codebook fingerprint 0x{info.Fingerprint:X16}; the codec's is 0x{codec.Fingerprint:X16}.");
        if (info.Dimension != codec.Dimension || info.NormFormat != codec.NormFormat || info.EncodedSize != codec.EncodedSize)
            throw new InvalidDataException(
                $"Encoded block holds d = {info.Dimension}, {info.NormFormat} norms, {info.EncodedSize}-byte codes; the codec has d = {codec.Dimension}, {codec.NormFormat}, {codec.EncodedSize}.");
        ReadOnlySpan<byte> codes = data.Slice(EncodedBlock.HeaderSize, info.Count * info.EncodedSize);
        int blocks = codec.Dimension / codec.BlockSize;
        int bits = BitOperations.Log2((uint)codec.Codewords);
        int headerSize = NormHeader.Size(codec.NormFormat);
        ushort[]? rented = blocks > 1024 ? System.Buffers.ArrayPool<ushort>.Shared.Rent(blocks) : null;
        Span<ushort> indices = rented is null ? stackalloc ushort[blocks] : rented.AsSpan(0, blocks);
        try
        {
            for (int i = 0; i < info.Count; i++)
            {
                ReadOnlySpan<byte> code = codes.Slice(i * info.EncodedSize, info.EncodedSize);
                try
                {
                    NormHeader.Read(code, codec.NormFormat);
                    BitPacking.Unpack(code.Slice(headerSize), bits, indices);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"Corrupt encoded block: vector {i}: {e.Message}", e);
                }
            }
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<ushort>.Shared.Return(rented);
        }

        return codes;
    }

    /// <summary>Validates the container (see <see cref="ReadCodes"/>) and decodes every vector into a new count·d array.</summary>
    /// <exception cref="InvalidDataException">The container is corrupt or was written by another codec.</exception>
    public static float[] Decode<TCodec>(TCodec codec, ReadOnlySpan<byte> data) where TCodec : IVectorCodec
    {
        ReadOnlySpan<byte> codes = ReadCodes(codec, data, out EncodedBlockInfo info);
        int d = codec.Dimension;
        float[] vectors = new float[(long)info.Count * d <= Array.MaxLength
            ? info.Count * d
            : throw new InvalidDataException($"Encoded block of {info.Count} vectors decodes to more than {Array.MaxLength} floats.")];
        for (int i = 0; i < info.Count; i++) codec.Decode(codes.Slice(i * info.EncodedSize, info.EncodedSize), vectors.AsSpan(i * d, d));
        return vectors;
    }
}
