using System;
using System.IO;
using FibQuant.Attention;
using FibQuant.Coding;
using Xunit;

namespace FibQuant.Tests.Attention;

public sealed class KvCacheFileTests
{
    private const int D = TestCodecs.Dimension;

    [Fact]
    public void SaveThenLoadRestoresEveryTokenAndTheWindow()
    {
        CompressedKvCache<FibQuantizer> original = TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Bytes, 300, seed: 161, window: 12);
        byte[] file = Save(original);
        var loaded = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Bytes, 12);
        KvCacheFile.Load(new MemoryStream(file), loaded);

        Assert.Equal(original.Count, loaded.Count);
        Assert.Equal(original.FullPrecisionStart, loaded.FullPrecisionStart);
        var a = new float[D];
        var b = new float[D];
        for (int t = 0; t < original.Count; t++)
        {
            original.DecodeKey(t, a);
            loaded.DecodeKey(t, b);
            Assert.Equal(a, b);
            original.DecodeValue(t, a);
            loaded.DecodeValue(t, b);
            Assert.Equal(a, b);
        }

        float[] query = TestCodecs.Gaussian(1, D, 162);
        original.Attend(query, 0.125f, 300, a);
        loaded.Attend(query, 0.125f, 300, b);
        Assert.Equal(a, b);
        Assert.Equal(file, Save(loaded));
    }

    [Fact]
    public void LoadingWithAnotherCodebookThrowsNamingTheFingerprint()
    {
        byte[] file = Save(TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 10, seed: 171));
        var other = new CompressedKvCache<FibQuantizer>(TestCodecs.NibblesOtherSeed, TestCodecs.Nibbles);
        var e = Assert.Throws<InvalidDataException>(() => KvCacheFile.Load(new MemoryStream(file), other));
        Assert.Contains("fingerprint", e.Message);
        Assert.Equal(0, other.Count);
    }

    [Fact]
    public void LoadingIntoASmallerWindowThrows()
    {
        byte[] file = Save(TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 10, seed: 172, window: 4));
        var cache = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles, 2);
        var e = Assert.Throws<InvalidDataException>(() => KvCacheFile.Load(new MemoryStream(file), cache));
        Assert.Contains("full-precision", e.Message);
    }

    [Theory]
    [InlineData(0, "magic")]
    [InlineData(41, "header checksum")]
    [InlineData(KvCacheFileHeaderSize + 100, "")]
    [InlineData(-1, "payload checksum")]
    public void ACorruptedByteThrows(int offset, string expected)
    {
        byte[] file = Save(TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 50, seed: 181));
        file[offset < 0 ? file.Length + offset : offset] ^= 0x40;
        var cache = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles);
        var e = Assert.Throws<InvalidDataException>(() => KvCacheFile.Load(new MemoryStream(file), cache));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(KvCacheFileHeaderSize + 7)]
    [InlineData(-1)]
    public void ATruncatedFileThrows(int keep)
    {
        byte[] file = Save(TestCodecs.Filled(TestCodecs.Nibbles, TestCodecs.Nibbles, 50, seed: 191));
        byte[] cut = file.AsSpan(0, keep < 0 ? file.Length + keep : keep).ToArray();
        var cache = new CompressedKvCache<FibQuantizer>(TestCodecs.Nibbles, TestCodecs.Nibbles);
        var e = Assert.Throws<InvalidDataException>(() => KvCacheFile.Load(new MemoryStream(cut), cache));
        Assert.Contains("Truncated", e.Message);
        var unseekable = Assert.Throws<InvalidDataException>(() => KvCacheFile.Load(new ForwardOnlyStream(cut), cache));
        Assert.Contains("Truncated", unseekable.Message);
    }

    private const int KvCacheFileHeaderSize = 56;

    private static byte[] Save(CompressedKvCache<FibQuantizer> cache)
    {
        var stream = new MemoryStream();
        KvCacheFile.Save(stream, cache);
        return stream.ToArray();
    }

    /// <summary>A stream that cannot seek, so the loader cannot check the length up front.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
