using System.IO;
using FibQuant.Coding;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FibQuant.Tests.Properties;

/// <summary>Pack/unpack of arbitrary index streams for every width 1…16 bits (N = 2^1 … 2^16).</summary>
public sealed class BitPackingProperties
{
    [Property(MaxTest = 300)]
    public void Unpack_inverts_pack_for_every_width(PositiveInt widthSeed, int[] raw, bool flipPadding)
    {
        int bits = widthSeed.Get % 16 + 1;
        ushort[] indices = raw.Select(r => (ushort)(r & ((1 << bits) - 1))).ToArray();
        int length = BitPacking.PackedLength(indices.Length, bits);
        Assert.Equal((indices.Length * bits + 7) / 8, length);
        byte[] packed = new byte[length];
        BitPacking.Pack(indices, bits, packed);
        ushort[] back = new ushort[indices.Length];
        BitPacking.Unpack(packed, bits, back);
        Assert.Equal(indices, back);

        int padding = length * 8 - indices.Length * bits;
        if (flipPadding && padding > 0)
        {
            packed[^1] ^= (byte)(0x80 >> (widthSeed.Get % padding));
            Assert.Throws<InvalidDataException>(() => BitPacking.Unpack(packed, bits, back));
        }
    }

    [Property(MaxTest = 100)]
    public void Every_width_round_trips_its_largest_and_smallest_index(NonNegativeInt count)
    {
        int n = count.Get % 97;
        for (int bits = 1; bits <= 16; bits++)
        {
            ushort[] indices = Enumerable.Range(0, n).Select(i => (ushort)(i % 2 == 0 ? (1 << bits) - 1 : 0)).ToArray();
            byte[] packed = new byte[BitPacking.PackedLength(n, bits)];
            BitPacking.Pack(indices, bits, packed);
            ushort[] back = new ushort[n];
            BitPacking.Unpack(packed, bits, back);
            Assert.Equal(indices, back);
            if (n > 0 && bits < 16)
            {
                indices[0] = (ushort)(1 << bits);
                Assert.Throws<ArgumentOutOfRangeException>(() => BitPacking.Pack(indices, bits, packed));
            }
        }
    }
}
