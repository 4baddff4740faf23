using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Hashing;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace FibQuant.Tests.Attention;

/// <summary>
/// Bounded mutation fuzzing of <see cref="MixedPrecisionKvCacheFile.Load{TCodec}(Stream, MixedPrecisionKvCache{TCodec})"/>
/// (3 s per setting): a corrupt file is rejected only with <see cref="InvalidDataException"/> and leaves the cache empty;
/// an accepted one holds the header's token count.
/// </summary>
public sealed class MixedPrecisionKvCacheFileFuzzTests
{
    private readonly ITestOutputHelper _output;

    public MixedPrecisionKvCacheFileFuzzTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("fp16", "nibbles", 4)]
    [InlineData("bytes", "fp32", 2)]
    public void The_loader_rejects_corrupt_files_with_InvalidDataException(string keys, string values, int window)
    {
        var seeds = new List<byte[]>
        {
            Save(MixedPrecisionKvCacheTests.Filled(keys, values, 0, seed: 800, window)),
            Save(MixedPrecisionKvCacheTests.Filled(keys, values, 3, seed: 801, window)),
            Save(MixedPrecisionKvCacheTests.Filled(keys, values, 7, seed: 802, window)),
        };
        var cache = new MixedPrecisionKvCache<FibQuantizer>(TestCodecs.Dimension, MixedPrecisionKvCacheTests.Format(keys),
            MixedPrecisionKvCacheTests.Format(values), window);
        var run = new FuzzRun($"MixedPrecisionKvCacheFile.Load {keys}/{values}", _output);
        run.Run(seeds, TimeSpan.FromSeconds(3), seed: 900 + window, input =>
        {
            Stream stream = input.Length % 2 == 0 ? new MemoryStream(input, writable: false) : new ForwardOnlyStream(input);
            try
            {
                MixedPrecisionKvCacheFile.Load(stream, cache);
            }
            catch (InvalidDataException)
            {
                Assert.Equal(0, cache.Count);
                throw;
            }

            Assert.Equal(BinaryPrimitives.ReadInt32LittleEndian(input.AsSpan(40)), cache.Count);
        }, FuzzRun.InvalidData, Repair);
    }

    private static byte[] Save(MixedPrecisionKvCache<FibQuantizer> cache)
    {
        using var stream = new MemoryStream();
        MixedPrecisionKvCacheFile.Save(stream, cache);
        return stream.ToArray();
    }

    /// <summary>Recomputes the header checksum (bytes 48–55) and the payload checksum (the last 8 bytes).</summary>
    private static byte[] Repair(byte[] input)
    {
        byte[] copy = (byte[])input.Clone();
        if (copy.Length < 56) return copy;
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(48), XxHash64.HashToUInt64(copy.AsSpan(0, 48)));
        if (copy.Length >= 64)
            BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), XxHash64.HashToUInt64(copy.AsSpan(56, copy.Length - 64)));
        return copy;
    }

    /// <summary>A stream that cannot seek, so the loader cannot check the length before reading tokens.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
