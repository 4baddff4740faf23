using System;
using System.Globalization;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// One KV-cache configuration of an evaluation: fp32, fp16, or quantized keys and values (each with its own
/// <see cref="CodebookSpec"/>: scalar TurboQuant is k = 1, FibQuant k ≥ 2, either rotation). It becomes an
/// <see cref="IKeyValueCache"/> factory for <see cref="LlamaModel.CreateSession"/> or a synthetic head.
/// </summary>
public sealed class KvCacheConfiguration
{
    /// <summary>Seed of every codebook the named factories design.</summary>
    public const ulong DefaultSeed = 1;

    private KvCacheConfiguration(string name, CacheStorage storage, CodebookSpec? keySpec, CodebookSpec? valueSpec)
    {
        Name = name;
        Storage = storage;
        KeySpec = keySpec;
        ValueSpec = valueSpec;
    }

    /// <summary>The uncompressed fp32 reference (<see cref="Float32KeyValueCache"/>: stable softmax).</summary>
    public static KvCacheConfiguration Float32 { get; } = new("fp32", CacheStorage.Float32, null, null);

    /// <summary>fp16 keys and values.</summary>
    public static KvCacheConfiguration Float16 { get; } = new("fp16", CacheStorage.Float16, null, null);

    /// <summary>Short label, e.g. <c>FibQuant k=2 N=16 Haar</c>.</summary>
    public string Name { get; }

    /// <summary>How keys and values are stored.</summary>
    public CacheStorage Storage { get; }

    /// <summary>Codebook of the keys (null unless <see cref="Storage"/> is <see cref="CacheStorage.Quantized"/>).</summary>
    public CodebookSpec? KeySpec { get; }

    /// <summary>Codebook of the values (null unless quantized).</summary>
    public CodebookSpec? ValueSpec { get; }

    /// <summary>
    /// "fp32", "fp16", "TurboQuant" (k = 1 for keys and values), "FibQuant" (k ≥ 2 for both) or "mixed".
    /// </summary>
    public string Family => Storage switch
    {
        CacheStorage.Float32 => "fp32",
        CacheStorage.Float16 => "fp16",
        _ when KeySpec!.BlockSize == 1 && ValueSpec!.BlockSize == 1 => "TurboQuant",
        _ when KeySpec!.BlockSize > 1 && ValueSpec!.BlockSize > 1 => "FibQuant",
        _ => "mixed",
    };

    /// <summary>Mean bits per coordinate of keys and values (32 for fp32, 16 for fp16), norm header excluded.</summary>
    public double BitsPerCoordinate => Storage switch
    {
        CacheStorage.Float32 => 32,
        CacheStorage.Float16 => 16,
        _ => (KeySpec!.BitsPerCoordinate + ValueSpec!.BitsPerCoordinate) / 2,
    };

    /// <summary>The rotation of the quantized streams ("—" for fp32/fp16, "mixed" when keys and values differ).</summary>
    public string RotationName => Storage != CacheStorage.Quantized ? "—"
        : KeySpec!.Rotation == ValueSpec!.Rotation ? KeySpec.Rotation.ToString() : "mixed";

    /// <summary>b-bit scalar TurboQuant (k = 1, N = 2^b) for keys and values.</summary>
    public static KvCacheConfiguration TurboQuant(int headDimension, int bits, RotationKind rotation = RotationKind.Haar, ulong seed = DefaultSeed)
    {
        CodebookSpec spec = Coding.TurboQuant.Spec(headDimension, bits, seed, rotation);
        return new KvCacheConfiguration(string.Create(CultureInfo.InvariantCulture, $"TurboQuant b={bits} {rotation}"), CacheStorage.Quantized, spec, spec);
    }

    /// <summary>FibQuant with block size k and N codewords for keys and values.</summary>
    public static KvCacheConfiguration FibQuant(int headDimension, int blockSize, int codewords, RotationKind rotation = RotationKind.Haar, ulong seed = DefaultSeed)
    {
        var spec = new CodebookSpec(headDimension, blockSize, codewords, seed, rotation);
        return new KvCacheConfiguration(string.Create(CultureInfo.InvariantCulture, $"FibQuant k={blockSize} N={codewords} {rotation}"), CacheStorage.Quantized, spec, spec);
    }

    /// <summary>Keys and values quantized with different codebooks of the same dimension.</summary>
    public static KvCacheConfiguration Quantized(string name, CodebookSpec keySpec, CodebookSpec valueSpec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(keySpec);
        ArgumentNullException.ThrowIfNull(valueSpec);
        if (keySpec.Dimension != valueSpec.Dimension)
            throw new ArgumentException($"Key and value specs must share d: {keySpec.Dimension} vs {valueSpec.Dimension}.", nameof(valueSpec));
        return new KvCacheConfiguration(name, CacheStorage.Quantized, keySpec, valueSpec);
    }

    /// <summary>
    /// Compression against fp16 of the encoded format (DESIGN §1: fp16 norm header + packed indices per vector):
    /// 2·16·d / (key bits + value bits); 0.5 for fp32, 1 for fp16.
    /// </summary>
    public double NominalCompressionRatio(int headDimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDimension);
        return Storage switch
        {
            CacheStorage.Float32 => 0.5,
            CacheStorage.Float16 => 1.0,
            _ => 2.0 * 16 * headDimension / (EncodedBits(KeySpec!) + EncodedBits(ValueSpec!)),
        };
    }

    /// <summary>
    /// A cache factory for <see cref="LlamaModel.CreateSession"/>: each call returns a new, empty cache of head
    /// dimension d; quantizers come from <paramref name="codecs"/> (designed there on first use).
    /// </summary>
    /// <exception cref="ArgumentException">A quantized configuration's dimension differs from the requested d.</exception>
    public Func<int, int, int, IKeyValueCache> CreateFactory(CodecLibrary codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        switch (Storage)
        {
            case CacheStorage.Float32:
                return static (_, _, d) => new Float32KeyValueCache(d);
            case CacheStorage.Float16:
                return static (_, _, d) => new Float16KeyValueCache(d);
            default:
                FibQuantizer keys = codecs.Get(KeySpec!);
                FibQuantizer values = codecs.Get(ValueSpec!);
                return (_, _, d) =>
                {
                    if (d != keys.Dimension)
                        throw new ArgumentException($"{Name} is designed for d = {keys.Dimension}, the model asks for d = {d}.");
                    return new CompressedKvCache<FibQuantizer>(keys, values);
                };
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static double EncodedBits(CodebookSpec spec) => 16.0 + (double)spec.BlocksPerVector * spec.IndexBits;
}
