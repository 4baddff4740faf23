using System;
using System.Numerics.Tensors;

namespace FibQuant.Llama.Evaluation;

/// <summary>Next-token distributions from logits: log-softmax and KL divergence, in double precision.</summary>
public static class NextTokenDistribution
{
    /// <summary>Writes log softmax(<paramref name="logits"/>) (x − max − log Σ exp(x − max), in double) and returns the argmax (lowest index on ties).</summary>
    public static int LogSoftmax(ReadOnlySpan<float> logits, Span<float> logProbabilities)
    {
        if (logits.IsEmpty) throw new ArgumentException("Logits are empty.", nameof(logits));
        if (logProbabilities.Length != logits.Length)
            throw new ArgumentException($"logProbabilities must have the length of logits ({logits.Length}).", nameof(logProbabilities));
        int argmax = TensorPrimitives.IndexOfMax(logits);
        double max = logits[argmax], sum = 0;
        foreach (float l in logits) sum += Math.Exp(l - max);
        double log = Math.Log(sum);
        for (int i = 0; i < logits.Length; i++) logProbabilities[i] = (float)(logits[i] - max - log);
        return argmax;
    }

    /// <summary>
    /// KL(P ‖ Q) = Σ_v P_v (log P_v − log Q_v) in nats, P given as log-probabilities (the fp32 model), Q as logits (the
    /// model under test), whose log-probabilities are rounded to float as <see cref="LogSoftmax"/> writes them, so that
    /// equal logits give exactly 0; also returns Q's argmax.
    /// </summary>
    /// <param name="referenceLogProbabilities">log P.</param>
    /// <param name="logits">Q's logits.</param>
    /// <param name="scratch">Receives log Q (the length of the logits).</param>
    /// <param name="argmax">Q's most likely token.</param>
    public static double KlDivergence(ReadOnlySpan<float> referenceLogProbabilities, ReadOnlySpan<float> logits, Span<float> scratch, out int argmax)
    {
        if (logits.Length != referenceLogProbabilities.Length)
            throw new ArgumentException($"logits must have the length of the reference ({referenceLogProbabilities.Length}).", nameof(logits));
        argmax = LogSoftmax(logits, scratch);
        double kl = 0;
        for (int v = 0; v < logits.Length; v++)
        {
            double lp = referenceLogProbabilities[v];
            kl += Math.Exp(lp) * (lp - scratch[v]);
        }

        return kl;
    }
}
