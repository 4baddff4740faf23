using System;
using System.Collections.Generic;
using FibQuant.Attention;
using FibQuant.Llama;
using Xunit;

namespace FibQuant.Llama.Tests;

public sealed class SessionTests
{
    private sealed class RecordingObserver : IAttentionObserver
    {
        public List<(int Layer, int Head, int Position, float[] Output)> Calls { get; } = new();

        public void OnAttentionOutput(int layer, int head, int position, ReadOnlySpan<float> output) =>
            Calls.Add((layer, head, position, output.ToArray()));
    }

    [Fact]
    public void FactoryIsAskedForOneCachePerLayerAndKvHead()
    {
        var requests = new List<(int, int, int)>();
        LlamaSession session = TestData.Model.CreateSession((l, h, d) =>
        {
            requests.Add((l, h, d));
            return new Float32KeyValueCache(d);
        });
        Assert.Equal(5 * 4, requests.Count);
        Assert.Contains((4, 3, 8), requests);
        session.Forward(1);
        session.Forward(400);
        for (int l = 0; l < 5; l++)
            for (int h = 0; h < 4; h++)
                Assert.Equal(2, session.Cache(l, h).Count);
        Assert.Equal(5 * 4 * 2 * 2 * 8 * sizeof(float), session.CacheBytes);
        session.Reset();
        Assert.Equal(0, session.Position);
        Assert.Equal(0, session.Cache(0, 0).Count);
    }

    [Fact]
    public void ResetReproducesTheSameLogits()
    {
        LlamaSession session = TestData.Model.CreateFloat32Session();
        int[] tokens = TestData.Tokenizer.Encode("The cat sat", bos: true, eos: false);
        foreach (int t in tokens) session.Forward(t);
        float[] first = session.Logits.ToArray();
        session.Reset();
        foreach (int t in tokens) session.Forward(t);
        Assert.Equal(first, session.Logits.ToArray());
        Assert.Equal(tokens.Length, session.Position);
    }

    [Fact]
    public void ObserverSeesEveryHeadAtEveryPosition()
    {
        var observer = new RecordingObserver();
        LlamaSession session = TestData.Model.CreateFloat32Session(observer);
        session.Forward(1);
        session.Forward(400);
        session.Forward(300);
        Assert.Equal(3 * 5 * 8, observer.Calls.Count);
        Assert.Equal((0, 0, 0), (observer.Calls[0].Layer, observer.Calls[0].Head, observer.Calls[0].Position));
        Assert.Equal((4, 7, 2), (observer.Calls[^1].Layer, observer.Calls[^1].Head, observer.Calls[^1].Position));
        // At position 0 attention over one token returns that token's value: both query heads of a KV group agree.
        Assert.Equal(observer.Calls[0].Output, observer.Calls[1].Output);
        Assert.NotEqual(observer.Calls[0].Output, observer.Calls[2].Output);
        Assert.All(observer.Calls, c => Assert.Equal(8, c.Output.Length));
    }

    [Fact]
    public void DifferentCacheReachesTheLogits()
    {
        // A cache that zeroes attention outputs must change the logits: attention really goes through the contract.
        LlamaSession reference = TestData.Model.CreateFloat32Session();
        LlamaSession zeroed = TestData.Model.CreateSession((_, _, d) => new ZeroAttentionCache(d));
        reference.Forward(1);
        zeroed.Forward(1);
        Assert.NotEqual(reference.Forward(400).ToArray(), zeroed.Forward(400).ToArray());
    }

    [Fact]
    public void InvalidUseIsRejected()
    {
        Assert.Throws<InvalidOperationException>(() => TestData.Model.CreateSession((_, _, _) => new Float32KeyValueCache(4)));
        var shared = new Float32KeyValueCache(8);
        Assert.Throws<InvalidOperationException>(() => TestData.Model.CreateSession((_, _, _) => shared));
        LlamaSession session = TestData.Model.CreateFloat32Session();
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Forward(512));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Cache(5, 0));
        for (int i = 0; i < 512; i++) session.Forward(1 + i % 100);
        Assert.Throws<InvalidOperationException>(() => session.Forward(1));
    }

    [Fact]
    public void ForwardDoesNotAllocateOnceWarm()
    {
        LlamaSession session = TestData.Model.CreateFloat32Session();
        for (int i = 0; i < 8; i++) session.Forward(1 + i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Forward(10 + i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private sealed class ZeroAttentionCache : IKeyValueCache
    {
        private readonly Float32KeyValueCache _inner;

        public ZeroAttentionCache(int d) => _inner = new Float32KeyValueCache(d);

        public int HeadDimension => _inner.HeadDimension;

        public int Count => _inner.Count;

        public long BytesUsed => _inner.BytesUsed;

        public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value) => _inner.Append(key, value);

        public void Attend(ReadOnlySpan<float> query, float scale, int length, Span<float> output) => output.Clear();

        public void Truncate(int count) => _inner.Truncate(count);

        public void Clear() => _inner.Clear();
    }
}
