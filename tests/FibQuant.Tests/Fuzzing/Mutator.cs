using System.Buffers.Binary;

namespace FibQuant.Tests.Fuzzing;

/// <summary>
/// Seeded byte-level mutations in the style of AFL/libFuzzer: bit flips, byte insert/delete, truncation, extension,
/// splicing two seeds, and overwriting 1/2/4/8-byte windows with interesting values (0, ±1, extremes, powers of two).
/// </summary>
internal sealed class Mutator
{
    private static readonly long[] Interesting =
    {
        0, 1, -1, 2, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 1023, 1024, 4096, 8192, 8193, 32767, 32768, 65535, 65536,
        int.MaxValue, int.MinValue, int.MaxValue / 2, uint.MaxValue, long.MaxValue, long.MinValue, 0x7C00, 0xFC00, 0x7E00, 0x7F800000, 0xFF800000,
    };

    private readonly Random _random;

    public Mutator(int seed) => _random = new Random(seed);

    public Random Random => _random;

    /// <summary>Returns a mutated copy of one of <paramref name="seeds"/> (1 to 4 stacked mutations).</summary>
    public byte[] Mutate(IReadOnlyList<byte[]> seeds)
    {
        var data = new List<byte>(seeds[_random.Next(seeds.Count)]);
        int rounds = 1 + _random.Next(4);
        for (int r = 0; r < rounds; r++) MutateOnce(data, seeds);
        return data.ToArray();
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> seeds)
    {
        switch (_random.Next(9))
        {
            case 0 or 1 when data.Count > 0:
                data[Position(data)] ^= (byte)(1 << _random.Next(8));
                break;
            case 2 when data.Count > 0:
                data[Position(data)] = (byte)_random.Next(256);
                break;
            case 3:
                data.InsertRange(_random.Next(data.Count + 1), Bytes(1 + _random.Next(_random.Next(2) == 0 ? 4 : 64)));
                break;
            case 4 when data.Count > 0:
                int at = Position(data);
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16)));
                break;
            case 5 when data.Count > 0:
                int keep = _random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            case 6:
                byte[] other = seeds[_random.Next(seeds.Count)];
                int cut = _random.Next(data.Count + 1), from = _random.Next(other.Length + 1);
                data.RemoveRange(cut, data.Count - cut);
                data.AddRange(other.Skip(from));
                break;
            default:
                OverwriteInteresting(data);
                break;
        }
    }

    private void OverwriteInteresting(List<byte> data)
    {
        int width = 1 << _random.Next(4);
        if (data.Count < width) return;
        int at = _random.Next(data.Count - width + 1);
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(value, Interesting[_random.Next(Interesting.Length)]);
        if (_random.Next(2) == 0) value.Slice(0, width).Reverse();
        for (int i = 0; i < width; i++) data[at + i] = value[i];
    }

    private int Position(List<byte> data) =>
        _random.Next(3) == 0 ? _random.Next(Math.Min(data.Count, 64)) : _random.Next(data.Count); // headers get extra attention

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
