using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Text;

namespace FibQuant.Llama;

/// <summary>Greedy decoding and teacher-forced likelihood on a <see cref="LlamaSession"/>.</summary>
public static class Generation
{
    /// <summary>
    /// Greedy generation exactly as llama2.c <c>run.c</c> with <c>-t 0 -n steps</c>: the session is reset, the
    /// prompt is encoded with BOS, prompt tokens are forced while inside the prompt and the argmax of the logits
    /// is taken after it, for positions 0 … steps−1, stopping early at BOS. The returned text is what run.c
    /// prints (the prompt echo included, unprintable single bytes dropped, without the final newline).
    /// </summary>
    /// <param name="session">The session to run; it is reset first.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="prompt">Prompt text (may be empty).</param>
    /// <param name="steps">Total positions; 0 or more than the sequence length means the sequence length.</param>
    /// <param name="emitted">When given, receives each token after BOS that was fed or produced, in order.</param>
    public static string Greedy(LlamaSession session, LlamaTokenizer tokenizer, string prompt, int steps, List<int>? emitted = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        int seqLen = session.Model.Config.SequenceLength;
        if (steps == 0 || steps > seqLen) steps = seqLen;

        int[] promptTokens = tokenizer.Encode(prompt, bos: true, eos: false);
        var text = new List<byte>(steps * 4);
        session.Reset();
        int token = promptTokens[0];
        for (int pos = 0; pos < steps; pos++)
        {
            ReadOnlySpan<float> logits = session.Forward(token);
            int next = pos < promptTokens.Length - 1 ? promptTokens[pos + 1] : TensorPrimitives.IndexOfMax(logits);
            if (next == LlamaTokenizer.Bos) break;
            emitted?.Add(next);
            ReadOnlySpan<byte> piece = tokenizer.DecodePiece(token, next);
            if (LlamaTokenizer.IsPrintable(piece))
            {
                foreach (byte b in piece) text.Add(b);
            }
            token = next;
        }
        return Encoding.UTF8.GetString(text.ToArray());
    }

    /// <summary>
    /// Teacher-forced negative log-likelihood of <paramref name="tokens"/>: the session is reset, tokens[0 … n−2]
    /// are fed and each next token tokens[t+1] is scored with a numerically stable log-softmax of the logits.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two tokens, or more than the model's sequence length.</exception>
    public static NllResult NegativeLogLikelihood(LlamaSession session, ReadOnlySpan<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(session);
        int seqLen = session.Model.Config.SequenceLength;
        if (tokens.Length < 2) throw new ArgumentException("At least two tokens are needed to score one prediction.", nameof(tokens));
        if (tokens.Length > seqLen)
            throw new ArgumentException($"{tokens.Length} tokens exceed the model's sequence length {seqLen}.", nameof(tokens));
        session.Reset();
        double total = 0;
        for (int t = 0; t < tokens.Length - 1; t++)
        {
            ReadOnlySpan<float> logits = session.Forward(tokens[t]);
            int target = tokens[t + 1];
            if ((uint)target >= (uint)logits.Length)
                throw new ArgumentOutOfRangeException(nameof(tokens), target, $"token must be in [0, {logits.Length}).");
            total -= LogSoftmaxAt(logits, target);
        }
        return new NllResult(total, tokens.Length - 1);
    }

    /// <summary>log softmax(<paramref name="logits"/>)[<paramref name="index"/>], computed as x_i − max − log Σ exp(x − max) in double.</summary>
    public static double LogSoftmaxAt(ReadOnlySpan<float> logits, int index)
    {
        if (logits.IsEmpty) throw new ArgumentException("Logits are empty.", nameof(logits));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, logits.Length);
        double max = TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (float l in logits) sum += Math.Exp(l - max);
        return logits[index] - max - Math.Log(sum);
    }
}
