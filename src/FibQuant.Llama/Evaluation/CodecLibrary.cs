using System;
using System.Collections.Generic;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Designs each codebook an evaluation needs once and hands out the (immutable, thread-safe) quantizer for it, so a
/// sweep that uses one spec for keys and values, or in several configurations, pays for its design once. The codeword
/// table of a design does not depend on the rotation (the training sample and Lloyd–Max restarts are drawn from the
/// seed alone; <see cref="CodebookDesigner.Design"/> only attaches the rotation at the end), so a spec that differs
/// from an already designed one only in its rotation reuses that table with its own rotation — the same codebook,
/// bit for bit, that a fresh design returns.
/// </summary>
public sealed class CodecLibrary
{
    private readonly Dictionary<CodebookSpec, FibQuantizer> _quantizers = new();

    /// <summary>Number of quantizers held.</summary>
    public int Count => _quantizers.Count;

    /// <summary>Number of Lloyd–Max designs actually run.</summary>
    public int DesignsRun { get; private set; }

    /// <summary>Whether <paramref name="spec"/> is held already.</summary>
    public bool Contains(CodebookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _quantizers.ContainsKey(spec);
    }

    /// <summary>The quantizer of <paramref name="spec"/> (fp16 norm header), designed on first use.</summary>
    /// <param name="spec">The codebook spec.</param>
    /// <param name="progress">Receives design progress when the codebook has to be designed.</param>
    public FibQuantizer Get(CodebookSpec spec, IProgress<DesignProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_quantizers.TryGetValue(spec, out FibQuantizer? quantizer)) return quantizer;

        Codebook codebook;
        FibQuantizer? sibling = FindOtherRotation(spec);
        if (sibling is not null)
        {
            Codebook other = sibling.Codebook;
            codebook = new Codebook(spec, other.Shells, other.DirectionsPerShell, other.Radii.ToArray(), other.Table.ToArray(),
                RotationDesign.Create(spec.Rotation, spec.Dimension, spec.Seed), other.TrainingDistortion);
        }
        else
        {
            codebook = CodebookDesigner.Design(spec, progress);
            DesignsRun++;
        }

        quantizer = new FibQuantizer(codebook);
        _quantizers.Add(spec, quantizer);
        return quantizer;
    }

    private FibQuantizer? FindOtherRotation(CodebookSpec spec)
    {
        foreach (RotationKind rotation in new[] { RotationKind.Haar, RotationKind.Hadamard })
        {
            if (rotation == spec.Rotation) continue;
            if (rotation == RotationKind.Hadamard && (spec.Dimension & (spec.Dimension - 1)) != 0) continue;
            var other = new CodebookSpec(spec.Dimension, spec.BlockSize, spec.Codewords, spec.Seed, rotation, spec.TrainingSamples, spec.Restarts);
            if (_quantizers.TryGetValue(other, out FibQuantizer? found)) return found;
        }

        return null;
    }
}
