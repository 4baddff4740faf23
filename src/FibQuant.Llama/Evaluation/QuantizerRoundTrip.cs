using System;
using FibQuant.Coding;

namespace FibQuant.Llama.Evaluation;

/// <summary>A FibQuant or TurboQuant codec (<see cref="FibQuantizer"/>: fp16 norm header + packed indices): encode, then decode.</summary>
public sealed class QuantizerRoundTrip : IVectorRoundTrip
{
    private readonly FibQuantizer _quantizer;
    private readonly byte[] _code;

    /// <summary>Wraps <paramref name="quantizer"/> (shared; this instance owns the code buffer).</summary>
    public QuantizerRoundTrip(FibQuantizer quantizer)
    {
        _quantizer = quantizer ?? throw new ArgumentNullException(nameof(quantizer));
        _code = new byte[quantizer.EncodedSize];
    }

    /// <inheritdoc />
    public int Dimension => _quantizer.Dimension;

    /// <inheritdoc />
    public void RoundTrip(ReadOnlySpan<float> vector, Span<float> reconstruction)
    {
        RoundTripArguments.Check(Dimension, vector, reconstruction);
        _quantizer.Encode(vector, _code);
        _quantizer.Decode(_code, reconstruction);
    }
}
