using System;
using FibQuant.Attention;

namespace FibQuant.Llama;

/// <summary>
/// One decoding stream over a <see cref="LlamaModel"/>: owns one <see cref="IKeyValueCache"/> per
/// (layer, kv head), the scratch buffers and the current position. Not thread-safe.
/// </summary>
public sealed class LlamaSession
{
    private readonly IKeyValueCache[] _caches;
    private readonly LlamaRunState _state;
    private readonly IAttentionObserver? _observer;

    internal LlamaSession(LlamaModel model, Func<int, int, int, IKeyValueCache> cacheFactory, IAttentionObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(cacheFactory);
        Model = model;
        _observer = observer;
        LlamaConfig p = model.Config;
        _state = new LlamaRunState(p);
        _caches = new IKeyValueCache[p.LayerCount * p.KvHeadCount];
        for (int l = 0; l < p.LayerCount; l++)
        {
            for (int h = 0; h < p.KvHeadCount; h++)
            {
                IKeyValueCache cache = cacheFactory(l, h, p.HeadSize)
                    ?? throw new InvalidOperationException($"The cache factory returned null for layer {l}, kv head {h}.");
                if (cache.HeadDimension != p.HeadSize)
                    throw new InvalidOperationException($"The cache for layer {l}, kv head {h} has head dimension {cache.HeadDimension}, expected {p.HeadSize}.");
                if (Array.IndexOf(_caches, cache) >= 0)
                    throw new InvalidOperationException($"The cache factory returned the same cache instance twice (layer {l}, kv head {h}).");
                cache.Clear();
                _caches[l * p.KvHeadCount + h] = cache;
            }
        }
    }

    /// <summary>The model this session runs.</summary>
    public LlamaModel Model { get; }

    /// <summary>Position of the next token to be fed (= tokens processed so far).</summary>
    public int Position { get; private set; }

    /// <summary>Logits produced by the last <see cref="Forward"/> call (vocab entries).</summary>
    public ReadOnlySpan<float> Logits => _state.Logits;

    /// <summary>Total bytes used by all caches' stored keys and values.</summary>
    public long CacheBytes
    {
        get
        {
            long total = 0;
            foreach (IKeyValueCache cache in _caches) total += cache.BytesUsed;
            return total;
        }
    }

    /// <summary>The cache of (<paramref name="layer"/>, <paramref name="kvHead"/>).</summary>
    public IKeyValueCache Cache(int layer, int kvHead)
    {
        LlamaConfig p = Model.Config;
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, p.LayerCount);
        ArgumentOutOfRangeException.ThrowIfNegative(kvHead);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(kvHead, p.KvHeadCount);
        return _caches[layer * p.KvHeadCount + kvHead];
    }

    /// <summary>
    /// Feeds <paramref name="token"/> at <see cref="Position"/>, appends its keys and values to the caches,
    /// advances the position and returns the next-token logits (valid until the next call).
    /// </summary>
    /// <exception cref="InvalidOperationException">The session is at the model's maximum sequence length.</exception>
    public ReadOnlySpan<float> Forward(int token)
    {
        LlamaConfig p = Model.Config;
        if ((uint)token >= (uint)p.VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token must be in [0, {p.VocabularySize}).");
        if (Position >= p.SequenceLength)
            throw new InvalidOperationException($"The session is full: the model's sequence length is {p.SequenceLength}.");
        Span<float> logits = Model.Forward(_state, _caches, _observer, token, Position);
        Position++;
        return logits;
    }

    /// <summary>
    /// Sets <see cref="Position"/> to the token count of the caches after they were filled from outside the session
    /// (for example loaded with <see cref="KvCacheFile"/> after a spill to disk), so decoding continues where the saved
    /// session stopped.
    /// </summary>
    /// <exception cref="InvalidOperationException">The caches hold different token counts, or more than the sequence length.</exception>
    public void ResumeFromCaches()
    {
        int count = _caches[0].Count;
        foreach (IKeyValueCache cache in _caches)
        {
            if (cache.Count != count)
                throw new InvalidOperationException($"The caches hold different token counts ({count} and {cache.Count}); a session resumes only from caches of one position.");
        }
        if (count > Model.Config.SequenceLength)
            throw new InvalidOperationException($"The caches hold {count} tokens, more than the model's sequence length {Model.Config.SequenceLength}.");
        Position = count;
    }

    /// <summary>Empties every cache and returns to position 0.</summary>
    public void Reset()
    {
        foreach (IKeyValueCache cache in _caches) cache.Clear();
        Position = 0;
    }
}
