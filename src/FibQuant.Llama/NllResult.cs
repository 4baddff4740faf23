using System;

namespace FibQuant.Llama;

/// <summary>Teacher-forced negative log-likelihood of a token sequence (natural log).</summary>
/// <param name="TotalNll">Σ −log p(token_{t+1} | tokens_≤t) over the scored positions.</param>
/// <param name="TokenCount">Number of scored (predicted) tokens.</param>
public readonly record struct NllResult(double TotalNll, int TokenCount)
{
    /// <summary>Mean NLL per predicted token, in nats.</summary>
    public double MeanNll => TokenCount == 0 ? double.NaN : TotalNll / TokenCount;

    /// <summary>Perplexity exp(mean NLL).</summary>
    public double Perplexity => Math.Exp(MeanNll);
}
