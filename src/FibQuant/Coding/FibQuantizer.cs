using System;
using FibQuant.Design;
using FibQuant.Rotation;

namespace FibQuant.Coding;

/// <summary>
/// The runtime FibQuant codec for one codebook: x ↦ (ν = ‖x‖₂, indices of the nearest codewords of the blocks of Πx/ν).
/// An encoded vector is <see cref="EncodedSize"/> bytes: the norm header, then d/k indices of log2 N bits, packed.
/// Instances are immutable and safe to share between threads; no method allocates.
/// </summary>
public sealed class FibQuantizer : IVectorCodec
{
    private readonly IRotation _rotation;
    private readonly RuntimeLayout _layout;

    /// <summary>Creates the codec for <paramref name="codebook"/> with the chosen norm header and block search.</summary>
    public FibQuantizer(Codebook codebook, NormFormat normFormat = NormFormat.Half, EncoderKind encoder = EncoderKind.Auto)
    {
        Codebook = codebook ?? throw new ArgumentNullException(nameof(codebook));
        if (normFormat != NormFormat.Half && normFormat != NormFormat.Single)
            throw new ArgumentOutOfRangeException(nameof(normFormat), normFormat, "normFormat must be Half or Single.");
        CodebookSpec spec = codebook.Spec;
        if (encoder == EncoderKind.Auto) encoder = EncoderChoice.For(spec);
        NormFormat = normFormat;
        _rotation = spec.Rotation == RotationKind.Haar
            ? new HaarRotation(spec.Dimension, codebook.Rotation)
            : new HadamardRotation(spec.Dimension, codebook.Rotation);
        IBlockSearch? approximate = encoder switch
        {
            EncoderKind.Exact => null,
            EncoderKind.TwoStage => TwoStageSearch.Calibrated(codebook),
            EncoderKind.Hierarchical => HierarchicalSearch.WithDefaults(codebook),
            _ => throw new ArgumentOutOfRangeException(nameof(encoder), encoder, "encoder must be Exact, TwoStage, Hierarchical or Auto."),
        };
        Encoder = encoder;
        float[] transposed = encoder == EncoderKind.Exact ? NearestCodeword.Transpose(codebook.Table, spec.BlockSize, spec.Codewords) : [];
        _layout = new RuntimeLayout(spec, normFormat, codebook.Table.ToArray(), transposed, _rotation, approximate);
    }

    /// <summary>The codebook.</summary>
    public Codebook Codebook { get; }

    /// <summary>The norm header's format.</summary>
    public NormFormat NormFormat { get; }

    /// <summary>The block search used by <see cref="Encode"/>.</summary>
    public EncoderKind Encoder { get; }

    /// <summary>Vector length d.</summary>
    public int Dimension => _layout.Dimension;

    /// <summary>Bytes per encoded vector (header + packed indices, rounded up to a whole byte).</summary>
    public int EncodedSize => _layout.EncodedSize;

    /// <summary>Rate b = log2(N)/k bits per coordinate (indices only).</summary>
    public double BitsPerCoordinate => Codebook.Spec.BitsPerCoordinate;

    /// <summary>CR = 16·d / (header bits + (d/k)·log2 N): compression against fp16, from the bit counts.</summary>
    public double CompressionRatio
    {
        get
        {
            CodebookSpec spec = Codebook.Spec;
            return 16.0 * spec.Dimension / (8 * NormHeader.Size(NormFormat) + (double)spec.BlocksPerVector * spec.IndexBits);
        }
    }

    /// <summary>The fingerprint recorded with encoded data.</summary>
    public ulong Fingerprint => Codebook.Fingerprint;

    /// <summary>The rotation Π.</summary>
    public IRotation Rotation => _rotation;

    /// <inheritdoc />
    public int BlockSize => Codebook.Spec.BlockSize;

    /// <inheritdoc />
    public int Codewords => Codebook.Spec.Codewords;

    /// <inheritdoc />
    public ReadOnlySpan<float> CodewordTable => _layout.CodewordTable;

    /// <inheritdoc />
    public void Rotate(ReadOnlySpan<float> vector, Span<float> rotated) => CodecPipeline.Rotate(in _layout, vector, rotated);

    /// <inheritdoc />
    public void InverseRotate(ReadOnlySpan<float> rotated, Span<float> vector) => CodecPipeline.InverseRotate(in _layout, rotated, vector);

    /// <inheritdoc />
    public void BuildScoreTable(ReadOnlySpan<float> rotatedQuery, Span<float> table) => CodecPipeline.BuildScoreTable(in _layout, rotatedQuery, table);

    /// <summary>Encodes one vector (length d) into <paramref name="code"/> (length <see cref="EncodedSize"/>).</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> code) => CodecPipeline.Encode(in _layout, vector, code);

    /// <summary>Decodes <paramref name="code"/> into <paramref name="vector"/>: x̂ = ν Πᵀ [c_idx₁ … c_idx_(d/k)].</summary>
    /// <exception cref="System.IO.InvalidDataException">The header or the padding bits are corrupt.</exception>
    public void Decode(ReadOnlySpan<byte> code, Span<float> vector) => CodecPipeline.Decode(in _layout, code, vector);

    /// <summary>Encodes <paramref name="vectors"/> (count·d values) into <paramref name="codes"/> (count·EncodedSize bytes).</summary>
    public void EncodeBatch(ReadOnlySpan<float> vectors, Span<byte> codes) => CodecPipeline.EncodeBatch(in _layout, vectors, codes);

    /// <summary>Decodes <paramref name="codes"/> (count·EncodedSize bytes) into <paramref name="vectors"/> (count·d values).</summary>
    public void DecodeBatch(ReadOnlySpan<byte> codes, Span<float> vectors) => CodecPipeline.DecodeBatch(in _layout, codes, vectors);
}
