using System;
using System.Globalization;
using FibQuant.Design;
using FibQuant.Server.Api;

namespace FibQuant.Server.Caching;

/// <summary>How one stream of a cache (the keys or the values) is stored: fp32, fp16, or a quantizer's codebook.</summary>
internal sealed class StreamFormat
{
    /// <summary>Largest codebook a request may ask for: designs of N ≤ 256 take seconds; larger ones minutes.</summary>
    public const int MaxCodewords = 256;

    /// <summary>Largest TurboQuant rate a request may ask for (N = 2^b ≤ <see cref="MaxCodewords"/>).</summary>
    public const int MaxTurboQuantBits = 8;

    private StreamFormat(CacheStorageKind kind, CodebookSpec? spec, string label)
    {
        Kind = kind;
        Spec = spec;
        Label = label;
    }

    /// <summary>Storage of the stream.</summary>
    public CacheStorageKind Kind { get; }

    /// <summary>The codebook of a quantized stream, else null.</summary>
    public CodebookSpec? Spec { get; }

    /// <summary>Short label, e.g. <c>fibquant k=2 N=16 haar</c>.</summary>
    public string Label { get; }

    /// <summary>Seed of every codebook the server designs (the evaluation's seed).</summary>
    public const ulong Seed = 1;

    /// <summary>
    /// Validates a request's codec object for head dimension <paramref name="headDimension"/>; a missing object is fp16.
    /// </summary>
    /// <exception cref="RequestException">400: unknown codec, missing or out-of-range parameter (named in the message).</exception>
    public static StreamFormat Parse(CodecRequest? request, int headDimension, string stream)
    {
        if (request is null) return new StreamFormat(CacheStorageKind.Float16, null, "fp16");
        string codec = request.Codec?.Trim().ToLowerInvariant() ?? throw RequestException.BadRequest($"{stream}.codec is required: one of fp32, fp16, turboquant, fibquant.");
        RotationKind rotation = ParseRotation(request.Rotation, stream);
        switch (codec)
        {
            case "fp32":
            case "fp16":
                if (request.Bits is not null || request.K is not null || request.N is not null || request.Rotation is not null)
                    throw RequestException.BadRequest($"{stream}: {codec} takes no bits, k, n or rotation.");
                return new StreamFormat(codec == "fp32" ? CacheStorageKind.Float32 : CacheStorageKind.Float16, null, codec);
            case "turboquant":
            {
                if (request.K is not null || request.N is not null)
                    throw RequestException.BadRequest($"{stream}: turboquant takes bits (k = 1, N = 2^bits), not k or n.");
                int bits = request.Bits ?? throw RequestException.BadRequest($"{stream}.bits is required for turboquant: an integer in [1, {MaxTurboQuantBits}].");
                if (bits < 1 || bits > MaxTurboQuantBits)
                    throw RequestException.BadRequest($"{stream}.bits must be in [1, {MaxTurboQuantBits}], got {bits}.");
                CodebookSpec spec = CreateSpec(headDimension, 1, 1 << bits, rotation, stream);
                return new StreamFormat(CacheStorageKind.Quantized, spec, Invariant($"turboquant b={bits} {Name(rotation)}"));
            }
            case "fibquant":
            {
                if (request.Bits is not null)
                    throw RequestException.BadRequest($"{stream}: fibquant takes k and n (b = log2(n)/k), not bits.");
                int k = request.K ?? throw RequestException.BadRequest($"{stream}.k is required for fibquant: a block size ≥ 2 that divides d = {headDimension}.");
                int n = request.N ?? throw RequestException.BadRequest($"{stream}.n is required for fibquant: a codeword count in [2, {MaxCodewords}].");
                if (k < 2) throw RequestException.BadRequest($"{stream}.k must be ≥ 2 for fibquant (k = 1 is turboquant), got {k}.");
                if (n < 2 || n > MaxCodewords) throw RequestException.BadRequest($"{stream}.n must be in [2, {MaxCodewords}], got {n}.");
                CodebookSpec spec = CreateSpec(headDimension, k, n, rotation, stream);
                return new StreamFormat(CacheStorageKind.Quantized, spec, Invariant($"fibquant k={k} N={n} {Name(rotation)}"));
            }
            default:
                throw RequestException.BadRequest($"{stream}.codec '{request.Codec}' is unknown: use fp32, fp16, turboquant or fibquant.");
        }
    }

    private static CodebookSpec CreateSpec(int d, int k, int n, RotationKind rotation, string stream)
    {
        try
        {
            return new CodebookSpec(d, k, n, Seed, rotation);
        }
        catch (ArgumentException e)
        {
            throw RequestException.BadRequest($"{stream}: {e.Message}");
        }
    }

    private static RotationKind ParseRotation(string? text, string stream) => text?.Trim().ToLowerInvariant() switch
    {
        null or "haar" => RotationKind.Haar,
        "hadamard" => RotationKind.Hadamard,
        _ => throw RequestException.BadRequest($"{stream}.rotation '{text}' is unknown: use haar or hadamard."),
    };

    private static string Name(RotationKind rotation) => rotation == RotationKind.Haar ? "haar" : "hadamard";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
