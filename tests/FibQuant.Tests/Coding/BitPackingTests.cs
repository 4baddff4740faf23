using System.IO;
using FibQuant.Coding;
using FibQuant.Design;
using Xunit;

namespace FibQuant.Tests.Coding;

public class BitPackingTests
{
    [Fact]
    public void EveryIndexRoundTripsForEveryWidth()
    {
        for (int bits = 1; bits <= 16; bits++)
        {
            int n = 1 << bits;
            int count = Math.Min(n, 4096) + 3; // every index (or a stride through them) plus an odd tail
            var indices = new ushort[count];
            var random = new DesignRandom((ulong)bits, DesignStream.Evaluation);
            for (int i = 0; i < count; i++) indices[i] = (ushort)(n <= 4096 ? i % n : (int)(random.NextUInt64() % (ulong)n));
            indices[^1] = (ushort)(n - 1);
            var packed = new byte[BitPacking.PackedLength(count, bits)];
            BitPacking.Pack(indices, bits, packed);
            var unpacked = new ushort[count];
            BitPacking.Unpack(packed, bits, unpacked);
            Assert.Equal(indices, unpacked);
        }
    }

    [Fact]
    public void LayoutIsLeastSignificantBitFirst()
    {
        var packed = new byte[2];
        BitPacking.Pack(new ushort[] { 0b101, 0b011, 0b111 }, 3, packed);
        Assert.Equal(new byte[] { 0b11_011_101, 0b0000000_1 }, packed);
    }

    [Fact]
    public void BadArgumentsAndCorruptPaddingAreRejected()
    {
        Assert.Equal("indices", Assert.Throws<ArgumentOutOfRangeException>(() => BitPacking.Pack(new ushort[] { 8 }, 3, new byte[1])).ParamName);
        Assert.Equal("bits", Assert.Throws<ArgumentOutOfRangeException>(() => BitPacking.PackedLength(1, 17)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => BitPacking.Pack(new ushort[3], 3, new byte[1])).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => BitPacking.Unpack(new byte[1], 3, new ushort[3])).ParamName);
        Assert.Throws<InvalidDataException>(() => BitPacking.Unpack(new byte[] { 0xFF, 0x02 }, 3, new ushort[3]));
    }

    [Fact]
    public void EveryWidthAndCountWritesTheBitByBitLayout()
    {
        var random = new Random(13);
        for (int bits = 1; bits <= 16; bits++)
        {
            for (int count = 0; count <= 41; count++)
            {
                var indices = new ushort[count];
                for (int i = 0; i < count; i++) indices[i] = (ushort)random.Next(1 << bits);
                var packed = new byte[BitPacking.PackedLength(count, bits)];
                BitPacking.Pack(indices, bits, packed);
                Assert.Equal(Reference(indices, bits), packed);
                var unpacked = new ushort[count];
                BitPacking.Unpack(packed, bits, unpacked);
                Assert.Equal(indices, unpacked);
                int padding = packed.Length * 8 - count * bits;
                if (padding == 0) continue;
                packed[^1] |= 0x80;
                Assert.Throws<InvalidDataException>(() => BitPacking.Unpack(packed, bits, unpacked));
            }
        }
    }

    // Bit i·bits + j of the stream is bit j of index i, least significant bit of byte 0 first.
    private static byte[] Reference(ushort[] indices, int bits)
    {
        var bytes = new byte[(indices.Length * bits + 7) / 8];
        for (int i = 0; i < indices.Length; i++)
        {
            for (int j = 0; j < bits; j++)
            {
                int bit = i * bits + j;
                if (((indices[i] >> j) & 1) != 0) bytes[bit / 8] |= (byte)(1 << (bit % 8));
            }
        }

        return bytes;
    }
}
