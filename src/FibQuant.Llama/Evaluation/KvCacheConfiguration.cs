using System;
using System.Collections.Generic;
using System.Globalization;
using FibQuant.Attention;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// How a model's KV cache is stored, as deployments configure it: a codec for keys and one for values (K is often
/// stored finer), optional per-layer overrides, and full-precision tokens — the first <see cref="SinkTokens"/> (attention
/// sinks) and the most recent <see cref="RecentWindow"/>. Codecs are fp32, fp16, FibQuant / TurboQuant codebooks, or
/// llama.cpp q8_0 / q4_0 with or without its Hadamard rotation (<see cref="CacheCodec"/>). It becomes a cache factory
/// for <see cref="LlamaModel.CreateSession"/> or a synthetic head. Immutable.
/// </summary>
public sealed class KvCacheConfiguration
{
    /// <summary>Seed of every codebook the named factories design.</summary>
    public const ulong DefaultSeed = 1;

    private readonly LayerCodecs[] _layers;

    /// <summary>Creates a configuration.</summary>
    /// <param name="name">Short label.</param>
    /// <param name="keys">Codec of the keys of every layer without an override.</param>
    /// <param name="values">Codec of the values of every layer without an override.</param>
    /// <param name="layers">Per-layer codecs (layer l uses entry l; empty: every layer uses <paramref name="keys"/>, <paramref name="values"/>).</param>
    /// <param name="sinkTokens">The first tokens kept in full precision (≥ 0).</param>
    /// <param name="recentWindow">The most recent tokens kept in full precision (≥ 0).</param>
    public KvCacheConfiguration(string name, CacheCodec keys, CacheCodec values, IReadOnlyList<LayerCodecs>? layers = null, int sinkTokens = 0, int recentWindow = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(sinkTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(recentWindow);
        Name = name;
        Keys = keys;
        Values = values;
        _layers = layers is null ? Array.Empty<LayerCodecs>() : new List<LayerCodecs>(layers).ToArray();
        foreach (LayerCodecs layer in _layers)
        {
            if (layer.Keys is null || layer.Values is null) throw new ArgumentException("Every layer needs a key and a value codec.", nameof(layers));
        }

        SinkTokens = sinkTokens;
        RecentWindow = recentWindow;
    }

    /// <summary>The uncompressed fp32 reference.</summary>
    public static KvCacheConfiguration Float32 { get; } = Uniform(CacheCodec.Float32);

    /// <summary>fp16 keys and values.</summary>
    public static KvCacheConfiguration Float16 { get; } = Uniform(CacheCodec.Float16);

    /// <summary>Short label, e.g. <c>FibQuant k=2 N=16 Haar</c>.</summary>
    public string Name { get; }

    /// <summary>Codec of the keys of layers without an override.</summary>
    public CacheCodec Keys { get; }

    /// <summary>Codec of the values of layers without an override.</summary>
    public CacheCodec Values { get; }

    /// <summary>Per-layer codecs (empty when every layer uses <see cref="Keys"/> and <see cref="Values"/>).</summary>
    public IReadOnlyList<LayerCodecs> Layers => _layers;

    /// <summary>The first tokens kept in full precision (attention sinks).</summary>
    public int SinkTokens { get; }

    /// <summary>The most recent tokens kept in full precision.</summary>
    public int RecentWindow { get; }

    /// <summary>
    /// The family every stream shares ("fp32", "fp16", "TurboQuant", "FibQuant", "q8_0", "q4_0"), or "mixed"; with
    /// full-precision tokens it gets a " +fp" suffix.
    /// </summary>
    public string Family
    {
        get
        {
            string? family = null;
            foreach (CacheCodec codec in Codecs())
            {
                if (family is null) family = codec.Family;
                else if (family != codec.Family) return "mixed";
            }

            return family! + (SinkTokens + RecentWindow > 0 ? " +fp" : "");
        }
    }

    /// <summary>The rotation every quantized stream shares (Haar, Hadamard), "—" for none, "mixed" otherwise.</summary>
    public string RotationName
    {
        get
        {
            string? rotation = null;
            foreach (CacheCodec codec in Codecs())
            {
                if (rotation is null) rotation = codec.RotationName;
                else if (rotation != codec.RotationName) return "mixed";
            }

            return rotation!;
        }
    }

    /// <summary>Both streams of every layer use one codec.</summary>
    public static KvCacheConfiguration Uniform(CacheCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return new KvCacheConfiguration(codec.Name, codec, codec);
    }

    /// <summary>b-bit scalar TurboQuant (k = 1, N = 2^b) for keys and values.</summary>
    public static KvCacheConfiguration TurboQuant(int headDimension, int bits, RotationKind rotation = RotationKind.Haar, ulong seed = DefaultSeed) =>
        Uniform(CacheCodec.Codebook(Coding.TurboQuant.Spec(headDimension, bits, seed, rotation)));

    /// <summary>FibQuant with block size k and N codewords for keys and values.</summary>
    public static KvCacheConfiguration FibQuant(int headDimension, int blockSize, int codewords, RotationKind rotation = RotationKind.Haar, ulong seed = DefaultSeed) =>
        Uniform(CacheCodec.Codebook(new CodebookSpec(headDimension, blockSize, codewords, seed, rotation)));

    /// <summary>Keys and values quantized with different codebooks of the same dimension.</summary>
    public static KvCacheConfiguration Quantized(string name, CodebookSpec keySpec, CodebookSpec valueSpec)
    {
        ArgumentNullException.ThrowIfNull(keySpec);
        ArgumentNullException.ThrowIfNull(valueSpec);
        if (keySpec.Dimension != valueSpec.Dimension)
            throw new ArgumentException($"Key and value specs must share d: {keySpec.Dimension} vs {valueSpec.Dimension}.", nameof(valueSpec));
        return new KvCacheConfiguration(name, CacheCodec.Codebook(keySpec), CacheCodec.Codebook(valueSpec));
    }

    /// <summary>
    /// Automatic rate allocation (<see cref="RateAllocator"/>): per layer and for keys and values separately, the codecs of
    /// <paramref name="catalog"/> (default: <see cref="EvaluationSweep.AllocationCatalog"/>) whose mean rate equals
    /// <paramref name="budget"/> bits per cached coordinate exactly and whose summed KL divergence on the calibration trace
    /// is smallest.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="calibration">fp32 trace of a calibration text disjoint from the evaluation text.</param>
    /// <param name="budget">Bits per cached coordinate, a multiple of <see cref="RateAllocator.RateQuantum"/> within the catalog's rates.</param>
    /// <param name="codecs">Where the catalog's codebooks are designed.</param>
    /// <param name="catalog">Codebook codecs to choose from.</param>
    public static KvCacheConfiguration ForBudget(LlamaModel model, ReferenceTrace calibration, double budget, CodecLibrary codecs,
        IReadOnlyList<CacheCodec>? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        StreamCosts costs = RateAllocator.MeasureCosts(model, calibration, catalog ?? EvaluationSweep.AllocationCatalog(model.Config.HeadSize), codecs);
        return RateAllocator.Allocate(costs, budget);
    }

    /// <summary>This configuration with the first <paramref name="sinkTokens"/> and the last <paramref name="recentWindow"/> tokens in full precision.</summary>
    public KvCacheConfiguration WithFullPrecisionTokens(int sinkTokens, int recentWindow)
    {
        string name = Name + (sinkTokens > 0 ? string.Create(CultureInfo.InvariantCulture, $" +{sinkTokens} sinks") : "")
                           + (recentWindow > 0 ? string.Create(CultureInfo.InvariantCulture, $" +window {recentWindow}") : "");
        return new KvCacheConfiguration(name, Keys, Values, _layers, sinkTokens, recentWindow);
    }

    /// <summary>The codecs of <paramref name="layer"/>.</summary>
    public LayerCodecs ForLayer(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        if (_layers.Length == 0) return new LayerCodecs(Keys, Values);
        if (layer >= _layers.Length)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"{Name} has codecs for layers 0 … {_layers.Length - 1}.");
        return _layers[layer];
    }

    /// <summary>Whether every codec can store head vectors of dimension d in a model of <paramref name="layers"/> layers.</summary>
    public bool Supports(int headDimension, int layers)
    {
        if (_layers.Length != 0 && _layers.Length != layers) return false;
        foreach (CacheCodec codec in Codecs())
        {
            if (!codec.Supports(headDimension)) return false;
        }

        return true;
    }

    /// <summary>The mean codebook rate log2 N / k over keys, values and layers (norm headers excluded); null when a stream is not a codebook.</summary>
    public double? CodebookRate(int layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        double total = 0;
        for (int l = 0; l < layers; l++)
        {
            LayerCodecs c = ForLayer(l);
            if (c.Keys.Spec is null || c.Values.Spec is null) return null;
            total += c.Keys.Spec.BitsPerCoordinate + c.Values.Spec.BitsPerCoordinate;
        }

        return total / (2 * layers);
    }

    /// <summary>Mean stored bits per cached coordinate over keys, values and layers, headers and scales included, full-precision tokens excluded.</summary>
    public double StoredBitsPerCoordinate(int headDimension, int layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        double bits = 0;
        for (int l = 0; l < layers; l++)
        {
            LayerCodecs c = ForLayer(l);
            bits += c.Keys.EncodedBits(headDimension) + c.Values.EncodedBits(headDimension);
        }

        return bits / (2.0 * layers * headDimension);
    }

    /// <summary>
    /// Compression against fp16 of the stored format for a context of <paramref name="contextTokens"/> tokens: fp16 bits
    /// ÷ stored bits, the full-precision tokens (sinks, recent window) counted as fp16.
    /// </summary>
    public double CompressionRatio(int headDimension, int layers, int contextTokens = PerplexityProtocol.WindowTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextTokens);
        double stored = StoredBitsPerCoordinate(headDimension, layers);
        int exact = Math.Min(contextTokens, SinkTokens + RecentWindow);
        return 16.0 * contextTokens / (exact * 16.0 + (contextTokens - exact) * stored);
    }

    /// <summary>
    /// A cache factory for <see cref="LlamaModel.CreateSession"/>: each call (layer, kv head, d) returns a new, empty
    /// <see cref="ReconstructedKvCache"/> with that layer's codecs (codebooks designed in <paramref name="codecs"/> on first
    /// use); <paramref name="created"/> sees each cache.
    /// </summary>
    public Func<int, int, int, IKeyValueCache> CreateFactory(CodecLibrary codecs, Action<int, int, ReconstructedKvCache>? created = null)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        return (layer, kvHead, d) =>
        {
            LayerCodecs c = ForLayer(layer);
            var cache = new ReconstructedKvCache(d, c.Keys.CreateRoundTrip(d, codecs), c.Values.CreateRoundTrip(d, codecs),
                c.Keys.EncodedBits(d), c.Values.EncodedBits(d), SinkTokens, RecentWindow);
            created?.Invoke(layer, kvHead, cache);
            return cache;
        };
    }

    /// <summary>Every codebook spec the configuration uses.</summary>
    public IEnumerable<CodebookSpec> CodebookSpecs()
    {
        foreach (CacheCodec codec in Codecs())
        {
            if (codec.Spec is not null) yield return codec.Spec;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private IEnumerable<CacheCodec> Codecs()
    {
        if (_layers.Length == 0)
        {
            yield return Keys;
            yield return Values;
            yield break;
        }

        foreach (LayerCodecs layer in _layers)
        {
            yield return layer.Keys;
            yield return layer.Values;
        }
    }
}
