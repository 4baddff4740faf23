using System.Diagnostics;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Attention;
using FibQuant.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FibQuant.Tests.Concurrency;

/// <summary>
/// Stress tests of the thread-safety contract (docs/guarantees.md): codecs and codebooks are immutable and shared
/// freely; a <see cref="CompressedKvCache{TCodec}"/> is used by one thread at a time (callers serialise access, for
/// example with a lock), and caches that share codecs run fully in parallel. Each test runs a few threads for about a
/// second and compares every result with one computed single-threaded beforehand.
/// </summary>
public sealed class ConcurrencyTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(1.5);
    private readonly ITestOutputHelper _output;

    public ConcurrencyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Shared_quantizers_encode_and_decode_the_same_bits_from_many_threads()
    {
        Codebook haar = Designs.Get(new CodebookSpec(32, 2, 16, seed: 3, trainingSamples: 20_000, restarts: 3));
        Codebook hadamard = Designs.Get(new CodebookSpec(32, 2, 16, seed: 3, rotation: RotationKind.Hadamard, trainingSamples: 20_000, restarts: 3));
        FibQuantizer[] codecs =
        {
            new(haar), new(haar, NormFormat.Single, EncoderKind.TwoStage), new(haar, encoder: EncoderKind.Hierarchical), new(hadamard),
        };
        const int count = 64;
        float[] vectors = TestVectors.Gaussian(32, count, seed: 41, scale: 2.0);
        var expectedCodes = new byte[codecs.Length][];
        var expectedDecoded = new float[codecs.Length][];
        for (int c = 0; c < codecs.Length; c++)
        {
            expectedCodes[c] = new byte[count * codecs[c].EncodedSize];
            codecs[c].EncodeBatch(vectors, expectedCodes[c]);
            expectedDecoded[c] = new float[vectors.Length];
            codecs[c].DecodeBatch(expectedCodes[c], expectedDecoded[c]);
        }

        long checks = Parallel(4, (worker, stop) =>
        {
            var random = new Random(worker);
            long done = 0;
            var decoded = new float[32];
            while (!stop())
            {
                int c = random.Next(codecs.Length), i = random.Next(count);
                FibQuantizer q = codecs[c];
                var code = new byte[q.EncodedSize];
                q.Encode(vectors.AsSpan(i * 32, 32), code);
                Assert.Equal(expectedCodes[c].AsSpan(i * q.EncodedSize, q.EncodedSize).ToArray(), code);
                q.Decode(code, decoded);
                Assert.Equal(expectedDecoded[c].AsSpan(i * 32, 32).ToArray(), decoded);
                done++;
            }

            return done;
        });
        _output.WriteLine($"shared quantizers: {checks} encode+decode checks on 4 threads");
    }

    [Fact]
    public void Caches_sharing_codecs_run_in_parallel()
    {
        FibQuantizer keys = TestCodecs.Nibbles, values = TestCodecs.Bytes;
        const int tokens = 300;
        float[] query = TestCodecs.Gaussian(1, TestCodecs.Dimension, 901);
        float[] expected = new float[TestCodecs.Dimension];
        TestCodecs.Filled(keys, values, tokens, seed: 900, window: 8).Attend(query, 0.125f, tokens, expected);

        long checks = Parallel(4, (worker, stop) =>
        {
            long done = 0;
            var output = new float[TestCodecs.Dimension];
            while (!stop())
            {
                CompressedKvCache<FibQuantizer> cache = TestCodecs.Filled(keys, values, tokens, seed: 900, window: 8);
                cache.Attend(query, 0.125f, tokens, output);
                Assert.Equal(expected, output);
                done++;
            }

            return done;
        });
        _output.WriteLine($"independent caches over shared codecs: {checks} fill+attend checks on 4 threads");
    }

    [Fact]
    public void One_writer_and_readers_under_a_lock_never_see_a_torn_or_stale_token()
    {
        FibQuantizer q = TestCodecs.Nibbles;
        const int d = TestCodecs.Dimension, total = 1200;
        float[] keys = TestCodecs.Gaussian(total, d, 910), values = TestCodecs.Gaussian(total, d, 911), query = TestCodecs.Gaussian(1, d, 912);
        CompressedKvCache<FibQuantizer> full = TestCodecs.Filled(q, q, 0, seed: 0);
        for (int t = 0; t < total; t++) full.Append(keys.AsSpan(t * d, d), values.AsSpan(t * d, d));
        var expectedScores = new float[total];
        full.ComputeScores(query, 0.125f, total, expectedScores);
        var expectedKeys = new float[total * d];
        for (int t = 0; t < total; t++) full.DecodeKey(t, expectedKeys.AsSpan(t * d, d));

        var cache = new CompressedKvCache<FibQuantizer>(q, q);
        var gate = new object();
        long reads = 0, observedMax = 0;
        var clock = Stopwatch.StartNew();
        Parallel(4, (worker, stop) =>
        {
            var random = new Random(worker);
            var scores = new float[total];
            var key = new float[d];
            long done = 0;
            while (!stop())
            {
                if (worker == 0)
                {
                    lock (gate)
                    {
                        int t = cache.Count;
                        if (t == total) cache.Truncate(random.Next(total));
                        else cache.Append(keys.AsSpan(t * d, d), values.AsSpan(t * d, d));
                    }

                    continue;
                }

                lock (gate)
                {
                    int length = cache.Count;
                    if (length == 0) continue;
                    int t = random.Next(length);
                    cache.DecodeKey(t, key);
                    Assert.Equal(expectedKeys.AsSpan(t * d, d).ToArray(), key);
                    cache.ComputeScores(query, 0.125f, length, scores);
                    Assert.Equal(expectedScores.AsSpan(0, length).ToArray(), scores.AsSpan(0, length).ToArray());
                    Interlocked.Exchange(ref observedMax, Math.Max(Interlocked.Read(ref observedMax), length));
                }

                done++;
            }

            Interlocked.Add(ref reads, done);
            return done;
        });
        _output.WriteLine($"writer + 3 readers under a lock: {reads} checked reads in {clock.Elapsed.TotalSeconds:F1} s, longest context {observedMax}");
        Assert.True(reads > 0);
    }

    /// <summary>Runs <paramref name="threads"/> workers for <see cref="Duration"/>; rethrows the first failure.</summary>
    private static long Parallel(int threads, Func<int, Func<bool>, long> worker)
    {
        var clock = Stopwatch.StartNew();
        bool Stop() => clock.Elapsed > Duration;
        var tasks = Enumerable.Range(0, threads).Select(i => Task.Factory.StartNew(() => worker(i, Stop), TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(tasks);
        long total = tasks.Sum(t => t.Result);
        Assert.True(total > 0, "the workers should complete some checks");
        return total;
    }
}
