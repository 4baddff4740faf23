using System;
using System.Collections.Generic;
using System.Threading;
using FibQuant.Attention;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Runs the <see cref="PerplexityProtocol"/> on a model with one cache configuration: every window is fed after BOS
/// from position 0 with fresh caches, every token of it is predicted. With a reference, an fp32 session runs in
/// lockstep on the same (teacher-forced) tokens (with <see cref="Float32KeyValueCache"/>s) and every attention output is compared by cosine.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>Evaluates one cache factory over <paramref name="windows"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="windows">Token windows (without BOS), each at most sequence length − 1 tokens.</param>
    /// <param name="cacheFactory">Cache factory of the configuration under test.</param>
    /// <param name="compareAttention">Also run the fp32 reference in lockstep and measure attention cosine.</param>
    /// <param name="onWindow">Called after each window (for progress).</param>
    /// <param name="cancellationToken">Checked between windows.</param>
    public static ModelEvaluation Evaluate(LlamaModel model, IReadOnlyList<ReadOnlyMemory<int>> windows,
        Func<int, int, int, IKeyValueCache> cacheFactory, bool compareAttention, Action? onWindow = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(cacheFactory);
        if (windows.Count == 0) throw new ArgumentException("No windows to evaluate.", nameof(windows));
        LlamaConfig p = model.Config;

        AttentionRecorder? recorder = null;
        AttentionCosineObserver? cosines = null;
        LlamaSession? reference = null;
        if (compareAttention)
        {
            recorder = new AttentionRecorder(p.LayerCount, p.HeadCount, p.HeadSize);
            cosines = new AttentionCosineObserver(recorder, p.LayerCount, p.HeadCount);
            reference = model.CreateSession(static (_, _, d) => new Float32KeyValueCache(d), recorder);
        }

        LlamaSession session = model.CreateSession(cacheFactory, cosines);
        double totalNll = 0;
        long predicted = 0, cacheBytes = 0, float16Bytes = 0;
        for (int w = 0; w < windows.Count; w++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<int> window = windows[w].Span;
            if (window.Length == 0 || window.Length >= p.SequenceLength)
                throw new ArgumentException($"Window {w} has {window.Length} tokens; 1 … {p.SequenceLength - 1} fit after BOS.", nameof(windows));
            session.Reset();
            reference?.Reset();
            int token = LlamaTokenizer.Bos;
            for (int i = 0; i < window.Length; i++)
            {
                reference?.Forward(token);
                ReadOnlySpan<float> logits = session.Forward(token);
                int target = window[i];
                totalNll -= Generation.LogSoftmaxAt(logits, target);
                token = target;
            }

            predicted += window.Length;
            cacheBytes += session.CacheBytes;
            float16Bytes += 4L * window.Length * p.HeadSize * p.LayerCount * p.KvHeadCount;
            onWindow?.Invoke();
        }

        return new ModelEvaluation(windows.Count, predicted, totalNll,
            cosines?.MeanOverHeads() ?? double.NaN, cosines?.WorstHead() ?? double.NaN, cacheBytes, float16Bytes);
    }
}
