using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using FibQuant.Coding;
using FibQuant.Tests.Attention;
using Xunit;

namespace FibQuant.Tests.Coding;

public sealed class EncodedBlockTests
{
    [Fact]
    public void Round_trip_gives_the_codecs_own_decoding()
    {
        FibQuantizer q = TestCodecs.Nibbles;
        float[] vectors = TestCodecs.Gaussian(7, q.Dimension, 31, 4f);
        byte[] block = EncodedBlockWriter.Encode(q, vectors);
        Assert.Equal(EncodedBlock.Size(q.EncodedSize, 7), block.Length);
        Assert.Equal(EncodedBlock.HeaderSize + 7 * q.EncodedSize + EncodedBlock.ChecksumSize, block.Length);

        var codes = new byte[7 * q.EncodedSize];
        q.EncodeBatch(vectors, codes);
        var expected = new float[vectors.Length];
        q.DecodeBatch(codes, expected);
        Assert.Equal(expected, EncodedBlockReader.Decode(q, block));
        Assert.Equal(codes, EncodedBlockReader.ReadCodes(q, block, out EncodedBlockInfo info).ToArray());
        Assert.Equal(new EncodedBlockInfo(NormFormat.Half, q.Fingerprint, q.Dimension, q.EncodedSize, 7), info);
        Assert.Equal(block, EncodedBlockWriter.Wrap(q, codes));
    }

    [Fact]
    public void Another_codebook_or_norm_format_is_rejected()
    {
        byte[] block = EncodedBlockWriter.Encode(TestCodecs.Nibbles, TestCodecs.Gaussian(2, TestCodecs.Dimension, 32));
        var e = Assert.Throws<InvalidDataException>(() => EncodedBlockReader.Decode(TestCodecs.NibblesOtherSeed, block));
        Assert.Contains("fingerprint", e.Message);
        var single = new FibQuantizer(TestCodecs.Nibbles.Codebook, NormFormat.Single);
        Assert.Throws<InvalidDataException>(() => EncodedBlockReader.Decode(single, block));
    }

    [Theory]
    [InlineData(24, -1, "negative vector count")]
    [InlineData(24, int.MaxValue, "payload bytes")]
    [InlineData(20, 0, "encoded size")]
    [InlineData(16, 1 << 20, "dimension")]
    [InlineData(7, 1, "reserved")]
    [InlineData(4, 2, "version")]
    public void Header_fields_are_checked_against_the_length_before_anything_else(int offset, int value, string message)
    {
        byte[] block = EncodedBlockWriter.Encode(TestCodecs.Nibbles, TestCodecs.Gaussian(3, TestCodecs.Dimension, 33));
        if (offset is 7) block[7] = (byte)value;
        else if (offset is 4) BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(4), (ushort)value);
        else BinaryPrimitives.WriteInt32LittleEndian(block.AsSpan(offset), value);
        Reseal(block);
        var e = Assert.Throws<InvalidDataException>(() => EncodedBlockReader.Decode(TestCodecs.Nibbles, block));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Corrupt_payload_is_caught_by_the_checksum_and_then_by_the_code_checks()
    {
        FibQuantizer q = TestCodecs.Nibbles;
        byte[] block = EncodedBlockWriter.Encode(q, TestCodecs.Gaussian(3, q.Dimension, 34));
        int norm = EncodedBlock.HeaderSize + q.EncodedSize; // vector 1's fp16 norm
        BinaryPrimitives.WriteHalfLittleEndian(block.AsSpan(norm), (Half)(-2f));
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => EncodedBlockReader.Decode(q, block)).Message);
        Reseal(block);
        Assert.Contains("vector 1", Assert.Throws<InvalidDataException>(() => EncodedBlockReader.Decode(q, block)).Message);
        Assert.Throws<InvalidDataException>(() => EncodedBlockReader.ReadHeader(block.AsSpan(0, 20)));
        Assert.Throws<ArgumentException>(() => EncodedBlockWriter.Wrap(q, new byte[q.EncodedSize + 1]));
    }

    private static void Reseal(byte[] block) =>
        BinaryPrimitives.WriteUInt64LittleEndian(block.AsSpan(block.Length - 8), XxHash64.HashToUInt64(block.AsSpan(0, block.Length - 8)));
}
