using System;
using System.Collections.Generic;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Designs each codebook an evaluation needs once and hands out the (immutable, thread-safe) quantizer for it, so a
/// sweep that uses one spec for keys and values, or in several configurations, pays for its design once.
/// </summary>
public sealed class CodecLibrary
{
    private readonly Dictionary<CodebookSpec, FibQuantizer> _quantizers = new();

    /// <summary>Number of codebooks designed so far.</summary>
    public int Count => _quantizers.Count;

    /// <summary>Whether <paramref name="spec"/> has been designed already.</summary>
    public bool Contains(CodebookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _quantizers.ContainsKey(spec);
    }

    /// <summary>The quantizer of <paramref name="spec"/>, designing it (fp16 norm header) on first use.</summary>
    /// <param name="spec">The codebook spec.</param>
    /// <param name="progress">Receives design progress when the codebook has to be designed.</param>
    public FibQuantizer Get(CodebookSpec spec, IProgress<DesignProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!_quantizers.TryGetValue(spec, out FibQuantizer? quantizer))
        {
            quantizer = new FibQuantizer(CodebookDesigner.Design(spec, progress));
            _quantizers.Add(spec, quantizer);
        }

        return quantizer;
    }
}
