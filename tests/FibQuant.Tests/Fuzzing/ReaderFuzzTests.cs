using System.Buffers.Binary;
using System.IO;
using System.IO.Hashing;
using System.Text;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Attention;
using FibQuant.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FibQuant.Tests.Fuzzing;

/// <summary>
/// Bounded mutation fuzzing (about a minute in all) of every reader of untrusted bytes: the encoded-vector decoder,
/// the encoded-block container, the KV cache file and the spec-file parser. A reader may only reject an input with
/// its documented exception type; anything else, or an input slower than 5 s, fails the test.
/// </summary>
public sealed class ReaderFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private readonly ITestOutputHelper _output;

    public ReaderFuzzTests(ITestOutputHelper output) => _output = output;

    private static FibQuantizer[] Codecs() => new[]
    {
        TestCodecs.Nibbles, TestCodecs.Wide, TestCodecs.Scalar,
        new FibQuantizer(Designs.Get(new CodebookSpec(12, 3, 8, seed: 5, trainingSamples: 2048, restarts: 1)), NormFormat.Single),
    };

    [Fact]
    public void Decoder_rejects_corrupt_codes_only_with_documented_exceptions()
    {
        foreach (FibQuantizer q in Codecs())
        {
            var cache = new CompressedKvCache<FibQuantizer>(q, q);
            float[] decoded = new float[q.Dimension];
            var seeds = Enumerable.Range(0, 8).Select(i => Encode(q, TestCodecs.Gaussian(1, q.Dimension, 500 + i, i * 3f))).ToList();
            var run = new FuzzRun($"FibQuantizer.Decode d={q.Dimension} k={q.BlockSize} N={q.Codewords} {q.NormFormat}", _output);
            run.Run(seeds, Budget, seed: q.Codewords, input =>
            {
                q.Decode(input, decoded);
                Assert.All(decoded, x => Assert.True(float.IsFinite(x) || q.NormFormat == NormFormat.Single));
                int before = cache.Count;
                try
                {
                    cache.AppendEncoded(input, input);
                }
                catch (InvalidDataException)
                {
                    Assert.Equal(before, cache.Count); // a corrupt token leaves the cache unchanged
                    throw;
                }

                if (cache.Count > 1000) cache.Clear();
            }, (input, e) => input.Length == q.EncodedSize
                ? e is InvalidDataException
                : e.GetType() == typeof(ArgumentException) && ((ArgumentException)e).ParamName == "code");
        }
    }

    [Fact]
    public void Encoded_block_reader_rejects_corrupt_containers_with_InvalidDataException()
    {
        foreach (FibQuantizer q in Codecs())
        {
            var seeds = new List<byte[]>
            {
                EncodedBlockWriter.Encode(q, ReadOnlySpan<float>.Empty),
                EncodedBlockWriter.Encode(q, TestCodecs.Gaussian(1, q.Dimension, 600)),
                EncodedBlockWriter.Encode(q, TestCodecs.Gaussian(5, q.Dimension, 601, 20f)),
            };
            var run = new FuzzRun($"EncodedBlockReader d={q.Dimension} N={q.Codewords} {q.NormFormat}", _output);
            run.Run(seeds, Budget, seed: 7 * q.Codewords, input =>
            {
                float[] vectors = EncodedBlockReader.Decode(q, input);
                EncodedBlockInfo info = EncodedBlockReader.ReadHeader(input);
                Assert.Equal(info.Count * q.Dimension, vectors.Length);
                Assert.True((long)info.Count * info.EncodedSize <= input.Length);
            }, FuzzRun.InvalidData, RepairBlock);
        }
    }

    [Fact]
    public void Kv_cache_file_loader_rejects_corrupt_files_with_InvalidDataException()
    {
        FibQuantizer keys = TestCodecs.Nibbles, values = TestCodecs.Bytes;
        var seeds = new List<byte[]>
        {
            Save(TestCodecs.Filled(keys, values, 0, seed: 700, window: 4)),
            Save(TestCodecs.Filled(keys, values, 3, seed: 701, window: 4)),
            Save(TestCodecs.Filled(keys, values, 9, seed: 702, window: 2)),
        };
        var cache = new CompressedKvCache<FibQuantizer>(keys, values, 4);
        var run = new FuzzRun("KvCacheFile.Load", _output);
        run.Run(seeds, 4 * Budget, seed: 703, input =>
        {
            Stream stream = input.Length % 2 == 0 ? new MemoryStream(input, writable: false) : new ForwardOnlyStream(input);
            try
            {
                KvCacheFile.Load(stream, cache);
            }
            catch (InvalidDataException)
            {
                Assert.Equal(0, cache.Count); // a failed load leaves the cache empty
                throw;
            }

            Assert.Equal(cache.Count, BinaryPrimitives.ReadInt32LittleEndian(input.AsSpan(40)));
        }, FuzzRun.InvalidData, RepairCacheFile);
    }

    [Fact]
    public void Spec_file_parser_reports_errors_as_values()
    {
        var small = new CodebookSpec(16, 4, 16, seed: 21, trainingSamples: 1024, restarts: 2);
        var seeds = new List<byte[]>
        {
            Encoding.UTF8.GetBytes(CodebookSpecFile.Write(Designs.Get(small), "Small", "Fuzz.Seeds")),
            Encoding.UTF8.GetBytes("{\n  \"className\": \"Kv\",\n  \"dimension\": 64,\n  \"blockSize\": 2,\n  \"codewords\": 16,\n  \"seed\": 3,\n  \"rotation\": \"Hadamard\"\n}\n"),
        };
        int accepted = 0, built = 0;
        var run = new FuzzRun("CodebookSpecFile.Parse", _output);
        run.Run(seeds, 4 * Budget, seed: 800, input =>
        {
            SpecFileParseResult parsed = CodebookSpecFile.Parse(Encoding.UTF8.GetString(input));
            if (!parsed.Success)
            {
                Assert.True(parsed.Line >= 1 && parsed.Column >= 1 && !string.IsNullOrEmpty(parsed.Error));
                throw new InvalidDataException(parsed.Error); // counted as a rejection
            }

            accepted++;
            SpecError error = parsed.File!.TryCreateSpec(out CodebookSpec? spec);
            if (error.IsError) throw new InvalidDataException(error.Message);
            // Recomputing the rotation is O(d²) work: only small dimensions go on to the precomputed-table check.
            if (parsed.File.HasPrecomputedTable && spec!.Dimension <= 64)
            {
                Codebook codebook = parsed.File.CreatePrecomputedCodebook(spec); // ArgumentException on a mismatch
                Assert.Equal(parsed.File.Fingerprint, codebook.Fingerprint);
                built++;
            }
        }, (input, e) => e is InvalidDataException || e is ArgumentException);
        _output.WriteLine($"spec files parsed {accepted}, precomputed codebooks rebuilt {built}");
    }

    private static byte[] Encode(FibQuantizer q, float[] vector)
    {
        var code = new byte[q.EncodedSize];
        q.Encode(vector, code);
        return code;
    }

    private static byte[] Save(CompressedKvCache<FibQuantizer> cache)
    {
        var stream = new MemoryStream();
        KvCacheFile.Save(stream, cache);
        return stream.ToArray();
    }

    /// <summary>Recomputes the container's trailing checksum.</summary>
    private static byte[] RepairBlock(byte[] input)
    {
        byte[] copy = (byte[])input.Clone();
        if (copy.Length >= EncodedBlock.HeaderSize + EncodedBlock.ChecksumSize)
            BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), XxHash64.HashToUInt64(copy.AsSpan(0, copy.Length - 8)));
        return copy;
    }

    /// <summary>Recomputes the cache file's header checksum and payload checksum.</summary>
    private static byte[] RepairCacheFile(byte[] input)
    {
        byte[] copy = (byte[])input.Clone();
        if (copy.Length < 56) return copy;
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(48), XxHash64.HashToUInt64(copy.AsSpan(0, 48)));
        if (copy.Length >= 64)
            BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), XxHash64.HashToUInt64(copy.AsSpan(56, copy.Length - 64)));
        return copy;
    }

    /// <summary>A stream that cannot seek, so the loader cannot check the length up front.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
