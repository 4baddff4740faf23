using System;
using System.Globalization;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// How one stream (keys or values) of one layer is stored: fp32, fp16, a FibQuant / TurboQuant codebook, or llama.cpp's
/// q8_0 / q4_0 with or without its Hadamard rotation. A value: equal descriptions are equal.
/// </summary>
public sealed record CacheCodec
{
    private CacheCodec(CacheCodecKind kind, CodebookSpec? spec, bool hadamard)
    {
        Kind = kind;
        Spec = spec;
        Hadamard = hadamard;
    }

    /// <summary>Uncompressed fp32.</summary>
    public static CacheCodec Float32 { get; } = new(CacheCodecKind.Float32, null, false);

    /// <summary>fp16.</summary>
    public static CacheCodec Float16 { get; } = new(CacheCodecKind.Float16, null, false);

    /// <summary>The storage format.</summary>
    public CacheCodecKind Kind { get; }

    /// <summary>The codebook of a <see cref="CacheCodecKind.Codebook"/> codec (null otherwise).</summary>
    public CodebookSpec? Spec { get; }

    /// <summary>Whether a q8_0 / q4_0 codec rotates with the Walsh–Hadamard matrix first (llama.cpp PR 21038).</summary>
    public bool Hadamard { get; }

    /// <summary>A FibQuant (k ≥ 2) or TurboQuant (k = 1) codebook.</summary>
    public static CacheCodec Codebook(CodebookSpec spec) => new(CacheCodecKind.Codebook, spec ?? throw new ArgumentNullException(nameof(spec)), false);

    /// <summary>llama.cpp q8_0, optionally Hadamard-rotated.</summary>
    public static CacheCodec Q8_0(bool hadamard = false) => new(CacheCodecKind.Q8_0, null, hadamard);

    /// <summary>llama.cpp q4_0, optionally Hadamard-rotated.</summary>
    public static CacheCodec Q4_0(bool hadamard = false) => new(CacheCodecKind.Q4_0, null, hadamard);

    /// <summary>"fp32", "fp16", "TurboQuant", "FibQuant", "q8_0" or "q4_0".</summary>
    public string Family => Kind switch
    {
        CacheCodecKind.Float32 => "fp32",
        CacheCodecKind.Float16 => "fp16",
        CacheCodecKind.Codebook => Spec!.BlockSize == 1 ? "TurboQuant" : "FibQuant",
        CacheCodecKind.Q8_0 => "q8_0",
        _ => "q4_0",
    };

    /// <summary>The rotation: Haar / Hadamard for codebooks and rotated q8_0 / q4_0, "—" otherwise.</summary>
    public string RotationName => Kind switch
    {
        CacheCodecKind.Codebook => Spec!.Rotation.ToString(),
        CacheCodecKind.Q8_0 or CacheCodecKind.Q4_0 when Hadamard => "Hadamard",
        _ => "—",
    };

    /// <summary>Short label, e.g. <c>FibQuant k=2 N=16 Haar</c>, <c>q4_0+H</c>.</summary>
    public string Name => Kind switch
    {
        CacheCodecKind.Float32 or CacheCodecKind.Float16 => Family,
        CacheCodecKind.Codebook when Spec!.BlockSize == 1 =>
            string.Create(CultureInfo.InvariantCulture, $"TurboQuant b={Spec.IndexBits} {Spec.Rotation}"),
        CacheCodecKind.Codebook => string.Create(CultureInfo.InvariantCulture, $"FibQuant k={Spec!.BlockSize} N={Spec.Codewords} {Spec.Rotation}"),
        _ => Family + (Hadamard ? "+H" : ""),
    };

    /// <summary>Stored bits of one vector of dimension d, headers and scales included.</summary>
    /// <exception cref="ArgumentOutOfRangeException">d does not suit the codec (codebook dimension, multiple of 32 for q8_0 / q4_0).</exception>
    public double EncodedBits(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        switch (Kind)
        {
            case CacheCodecKind.Float32: return 32.0 * dimension;
            case CacheCodecKind.Float16: return 16.0 * dimension;
            case CacheCodecKind.Codebook:
                if (Spec!.Dimension != dimension)
                    throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"{Name} is designed for d = {Spec.Dimension}.");
                return 16.0 + (double)Spec.BlocksPerVector * Spec.IndexBits;
            default:
                CheckBlockDimension(dimension);
                return dimension / LlamaCppBlocks.BlockValues * 8.0 * (Kind == CacheCodecKind.Q8_0 ? LlamaCppBlocks.Q8_0Bytes : LlamaCppBlocks.Q4_0Bytes);
        }
    }

    /// <summary>Stored bits per coordinate at dimension d, headers and scales included (16 for fp16, 8.5 for q8_0).</summary>
    public double BitsPerCoordinate(int dimension) => EncodedBits(dimension) / dimension;

    /// <summary>Whether the codec can store vectors of dimension d.</summary>
    public bool Supports(int dimension) => Kind switch
    {
        CacheCodecKind.Float32 or CacheCodecKind.Float16 => dimension > 0,
        CacheCodecKind.Codebook => Spec!.Dimension == dimension,
        _ => dimension > 0 && dimension % LlamaCppBlocks.BlockValues == 0 && (!Hadamard || (dimension & (dimension - 1)) == 0),
    };

    /// <summary>
    /// A new round trip for this codec at dimension d (null for fp32: stored exactly); codebooks come from
    /// <paramref name="codecs"/>, designed there on first use.
    /// </summary>
    public IVectorRoundTrip? CreateRoundTrip(int dimension, CodecLibrary codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        if (!Supports(dimension)) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"{Name} cannot store vectors of dimension {dimension}.");
        return Kind switch
        {
            CacheCodecKind.Float32 => null,
            CacheCodecKind.Float16 => new Float16RoundTrip(dimension),
            CacheCodecKind.Codebook => new QuantizerRoundTrip(codecs.Get(Spec!)),
            _ => new LlamaCppRoundTrip(dimension, Kind == CacheCodecKind.Q4_0, Hadamard),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private void CheckBlockDimension(int dimension)
    {
        if (dimension % LlamaCppBlocks.BlockValues != 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"{Name} stores blocks of {LlamaCppBlocks.BlockValues}: d must be a multiple of it.");
    }
}
