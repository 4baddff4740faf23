using System;
using System.Buffers.Binary;
using System.IO;
using FibQuant.Llama;
using Xunit;

namespace FibQuant.Llama.Tests;

public sealed class CheckpointLoaderTests
{
    [Fact]
    public void Stories260KHeaderIsRead()
    {
        LlamaConfig c = TestData.Model.Config;
        Assert.Equal((64, 172, 5, 8, 4, 512, 512), (c.Dimension, c.HiddenDimension, c.LayerCount, c.HeadCount, c.KvHeadCount, c.VocabularySize, c.SequenceLength));
        Assert.True(c.SharedClassifier);
        Assert.Equal(8, c.HeadSize);
        Assert.Equal(32, c.KvDimension);
        Assert.Equal(new FileInfo(LlamaDataPaths.Resolve(LlamaDataPaths.Stories260K)).Length, c.ExpectedFileBytes);
        Assert.True(TestData.Model.Weights.Classifier == TestData.Model.Weights.TokenEmbedding);
    }

    [Fact]
    public void TruncatedCheckpointIsAClearError()
    {
        WithTempCopy(bytes => bytes.AsSpan(0, bytes.Length - 4).ToArray(), path =>
        {
            var e = Assert.Throws<InvalidDataException>(() => LlamaWeights.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("truncated", e.Message);
        });
    }

    [Fact]
    public void CheckpointShorterThanHeaderIsAClearError()
    {
        WithTempCopy(bytes => bytes.AsSpan(0, 10).ToArray(), path =>
        {
            var e = Assert.Throws<InvalidDataException>(() => LlamaWeights.Load(path));
            Assert.Contains("header", e.Message);
        });
    }

    [Theory]
    [InlineData(12, 3)]  // n_heads = 3 does not divide dim 64
    [InlineData(16, 3)]  // n_kv_heads = 3 does not divide n_heads 8
    [InlineData(0, -64)] // negative dim
    public void InconsistentHeaderIsAClearError(int offset, int value)
    {
        WithTempCopy(bytes => { BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value); return bytes; }, path =>
        {
            var e = Assert.Throws<InvalidDataException>(() => LlamaWeights.Load(path));
            Assert.Contains("Invalid llama2.c config", e.Message);
            Assert.Contains(path, e.Message);
        });
    }

    [Fact]
    public void NegativeVocabularyMeansASeparateClassifier()
    {
        // The same model with the classifier stored explicitly (a copy of the embedding) must give identical logits.
        WithTempCopy(bytes =>
        {
            int embeddingBytes = 512 * 64 * sizeof(float);
            var unshared = new byte[bytes.Length + embeddingBytes];
            bytes.CopyTo(unshared, 0);
            Array.Copy(bytes, LlamaConfig.HeaderBytes, unshared, bytes.Length, embeddingBytes);
            BinaryPrimitives.WriteInt32LittleEndian(unshared.AsSpan(20), -512);
            return unshared;
        }, path =>
        {
            var model = LlamaModel.Load(path);
            Assert.False(model.Config.SharedClassifier);
            Assert.False(model.Weights.Classifier == model.Weights.TokenEmbedding);
            Assert.True(model.Weights.Classifier.SequenceEqual(model.Weights.TokenEmbedding));
            float[] expected = TestData.Model.CreateFloat32Session().Forward(1).ToArray();
            Assert.Equal(expected, model.CreateFloat32Session().Forward(1).ToArray());
        });
        // Flagging a separate classifier without storing it is a length mismatch.
        WithTempCopy(bytes => { BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), -512); return bytes; },
            path => Assert.Throws<InvalidDataException>(() => LlamaWeights.Load(path)));
    }

    [Fact]
    public void MissingCheckpointNamesTheFullPath()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "model.bin");
        var e = Assert.Throws<FileNotFoundException>(() => LlamaWeights.Load(path));
        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }

    private static void WithTempCopy(Func<byte[], byte[]> mutate, Action<string> check)
    {
        string dir = TestData.TempDirectory();
        try
        {
            string path = Path.Combine(dir, "model.bin");
            File.WriteAllBytes(path, mutate(File.ReadAllBytes(LlamaDataPaths.Resolve(LlamaDataPaths.Stories260K))));
            check(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
