using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.IO.Hashing;
using System.Threading;
using System.Threading.Tasks;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

/// <summary>
/// Input a careful attacker would try (docs/guarantees.md): crafted cache files whose checksums were recomputed, values
/// that overflow, non-finite queries, absurd window sizes, and one cache driven from several threads.
/// </summary>
public sealed class HostileInputTests
{
    private const int D = TestCodecs.Dimension;
    private const int HeaderSize = 56;

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Load_refuses_a_non_finite_full_precision_value_even_with_a_recomputed_checksum(float bad)
    {
        byte[] file = Save(TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 20, seed: 301, window: 4));
        // The last 4 bytes before the payload checksum are the last fp32 value entry of the last (full-precision) token.
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(file.Length - 12), bad);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(file.Length - 8), XxHash64.HashToUInt64(file.AsSpan(HeaderSize, file.Length - 8 - HeaderSize)));
        var cache = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles, 4);

        var e = Assert.Throws<InvalidDataException>(() => KvCacheFile.Load(new MemoryStream(file), cache));
        Assert.Contains("token 19", e.Message);
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(38)]
    [InlineData(39)]
    public void Load_refuses_non_zero_reserved_header_bytes(int offset)
    {
        byte[] file = Save(TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 5, seed: 302));
        file[offset] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(48), XxHash64.HashToUInt64(file.AsSpan(0, 48)));
        var cache = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles);

        var e = Assert.Throws<InvalidDataException>(() => KvCacheFile.Load(new MemoryStream(file), cache));
        Assert.Contains("reserved", e.Message);
    }

    [Fact]
    public void Encoding_a_vector_whose_norm_overflows_fp32_fails_at_encode()
    {
        var codec = new FibQuantizer(TestCodecs.Nibbles.Codebook, NormFormat.Single);
        float[] huge = new float[D];
        Array.Fill(huge, 3e38f);
        var code = new byte[codec.EncodedSize];

        Assert.ThrowsAny<ArgumentException>(() => codec.Encode(huge, code));
        var cache = new CompressedKvCache<FibQuantizer>(codec, codec);
        Assert.ThrowsAny<ArgumentException>(() => cache.Append(huge, new float[D]));
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue / 64 + 1)]
    public void An_impossible_window_is_an_argument_error(int window)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles, window));
        Assert.Equal("recentWindow", e.ParamName);
    }

    [Theory]
    [InlineData(float.NaN, 0.125f, "query")]
    [InlineData(float.PositiveInfinity, 0.125f, "query")]
    [InlineData(1f, float.NaN, "scale")]
    [InlineData(1f, float.PositiveInfinity, "scale")]
    [InlineData(1f, float.NegativeInfinity, "scale")]
    public void Attention_refuses_non_finite_queries_and_scales(float queryEntry, float scale, string parameter)
    {
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 10, seed: 303, window: 2);
        float[] query = TestCodecs.Gaussian(1, D, 304);
        query[5] = queryEntry;
        var output = new float[D];

        Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(() => cache.Attend(query, scale, 10, output)).ParamName);
        Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(() => cache.ComputeScores(query, scale, 10, new float[10])).ParamName);

        float[] group = new float[2 * D];
        query.CopyTo(group, D);
        string groupParameter = parameter == "query" ? "queries" : parameter;
        Assert.Equal(groupParameter, Assert.ThrowsAny<ArgumentException>(() => cache.AttendGroup(group, scale, 10, new float[2 * D])).ParamName);
    }

    [Fact]
    public void A_cache_used_from_several_threads_at_once_throws_instead_of_answering_wrongly()
    {
        CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Bytes, 600, seed: 305, window: 8);
        float[][] queries = { TestCodecs.Gaussian(1, D, 306), TestCodecs.Gaussian(1, D, 307), TestCodecs.Gaussian(1, D, 308), TestCodecs.Gaussian(1, D, 309) };
        var expected = new float[queries.Length][];
        for (int q = 0; q < queries.Length; q++)
        {
            expected[q] = new float[D];
            cache.Attend(queries[q], 0.125f, cache.Count, expected[q]);
        }

        long refused = 0, wrong = 0, answered = 0;
        var clock = Stopwatch.StartNew();
        using var start = new Barrier(queries.Length);
        Parallel.For(0, queries.Length, new ParallelOptions { MaxDegreeOfParallelism = queries.Length }, worker =>
        {
            var output = new float[D];
            start.SignalAndWait();
            // Run for a second and until an overlap was seen (at most 10 s on a starved machine): every answer must be the single-threaded one.
            while (clock.Elapsed < TimeSpan.FromSeconds(10) && (Interlocked.Read(ref refused) == 0 || clock.Elapsed < TimeSpan.FromSeconds(1)))
            {
                try
                {
                    if (worker % 2 == 0) cache.Attend(queries[worker], 0.125f, cache.Count, output);
                    else cache.AttendGroup(queries[worker], 0.125f, cache.Count, output);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                Interlocked.Increment(ref answered);
                if (!output.AsSpan().SequenceEqual(expected[worker])) Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
        Assert.True(refused > 0, $"no overlapping call was detected in {answered} calls");
        // The guard is released after a refused call: the cache still works.
        var after = new float[D];
        cache.Attend(queries[0], 0.125f, cache.Count, after);
        Assert.Equal(expected[0], after);
    }

    private static byte[] Save(CompressedKvCache<FibQuantizer> cache)
    {
        var stream = new MemoryStream();
        KvCacheFile.Save(stream, cache);
        return stream.ToArray();
    }
}
