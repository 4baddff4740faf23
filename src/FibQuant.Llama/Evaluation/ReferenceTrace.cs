using System;
using System.Collections.Generic;
using System.Threading;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// What the fp32-cache model does on the protocol's windows, recorded once so that every configuration is compared
/// with it without re-running the reference: per predicted token the next-token log-probabilities and argmax, and per
/// (token, layer, query head) the attention output and the indices of the <see cref="TopWeights.Count"/> keys of largest
/// attention weight. Tokens are numbered across windows in order.
/// </summary>
public sealed class ReferenceTrace
{
    private readonly float[] _logProbabilities;
    private readonly int[] _argmax;
    private readonly float[] _outputs;
    private readonly int[] _top;

    private ReferenceTrace(LlamaConfig config, IReadOnlyList<ReadOnlyMemory<int>> windows, int tokens)
    {
        Config = config;
        Windows = windows;
        Tokens = tokens;
        _logProbabilities = new float[tokens * config.VocabularySize];
        _argmax = new int[tokens];
        _outputs = new float[tokens * config.LayerCount * config.HeadCount * config.HeadSize];
        _top = new int[tokens * config.LayerCount * config.HeadCount * TopWeights.Count];
    }

    /// <summary>The model's configuration.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The windows recorded.</summary>
    public IReadOnlyList<ReadOnlyMemory<int>> Windows { get; }

    /// <summary>Predicted tokens over all windows.</summary>
    public int Tokens { get; }

    /// <summary>Σ −log p of the targets (nats) under the fp32 cache.</summary>
    public double TotalNll { get; private set; }

    /// <summary>The fp32 perplexity under the protocol.</summary>
    public double Perplexity => Math.Exp(TotalNll / Tokens);

    /// <summary>Runs the fp32-cache model over <paramref name="windows"/> (each after BOS from position 0) and records it.</summary>
    public static ReferenceTrace Record(LlamaModel model, IReadOnlyList<ReadOnlyMemory<int>> windows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(windows);
        LlamaConfig p = model.Config;
        int tokens = WindowChecks.CountTokens(windows, p);
        var trace = new ReferenceTrace(p, windows, tokens);
        var caches = new ReconstructedKvCache[p.LayerCount * p.KvHeadCount];
        var recorder = new Recorder(trace, caches);
        LlamaSession session = model.CreateSession(KvCacheConfiguration.Float32.CreateFactory(new CodecLibrary(),
            (layer, kvHead, cache) => caches[layer * p.KvHeadCount + kvHead] = cache), recorder);
        int index = 0;
        double nll = 0;
        foreach (ReadOnlyMemory<int> memory in windows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Reset();
            int token = LlamaTokenizer.Bos;
            ReadOnlySpan<int> window = memory.Span;
            for (int i = 0; i < window.Length; i++)
            {
                recorder.Token = index;
                ReadOnlySpan<float> logits = session.Forward(token);
                Span<float> logProbabilities = trace._logProbabilities.AsSpan(index * p.VocabularySize, p.VocabularySize);
                trace._argmax[index] = NextTokenDistribution.LogSoftmax(logits, logProbabilities);
                nll -= logProbabilities[window[i]];
                token = window[i];
                index++;
            }
        }

        trace.TotalNll = nll;
        return trace;
    }

    /// <summary>The fp32 next-token log-probabilities of token <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> LogProbabilities(int index) => _logProbabilities.AsSpan(index * Config.VocabularySize, Config.VocabularySize);

    /// <summary>The fp32 most likely next token at token <paramref name="index"/>.</summary>
    public int Argmax(int index) => _argmax[index];

    /// <summary>The fp32 attention output of (token, layer, query head).</summary>
    public ReadOnlySpan<float> Output(int index, int layer, int head) =>
        _outputs.AsSpan(Slot(index, layer, head) * Config.HeadSize, Config.HeadSize);

    /// <summary>The fp32 top-10 keys of (token, layer, query head), largest weight first (valid when more than 10 keys are attended).</summary>
    public ReadOnlySpan<int> TopKeys(int index, int layer, int head) =>
        _top.AsSpan(Slot(index, layer, head) * TopWeights.Count, TopWeights.Count);

    private int Slot(int index, int layer, int head) => (index * Config.LayerCount + layer) * Config.HeadCount + head;

    private sealed class Recorder(ReferenceTrace trace, ReconstructedKvCache[] caches) : IAttentionObserver
    {
        public int Token { get; set; }

        public void OnAttentionOutput(int layer, int head, int position, ReadOnlySpan<float> output)
        {
            LlamaConfig p = trace.Config;
            int slot = trace.Slot(Token, layer, head);
            output.CopyTo(trace._outputs.AsSpan(slot * p.HeadSize, p.HeadSize));
            if (position + 1 > TopWeights.Count)
            {
                ReadOnlySpan<float> weights = caches[layer * p.KvHeadCount + head / p.QueryHeadsPerKvHead].LastWeights;
                TopWeights.Select(weights, trace._top.AsSpan(slot * TopWeights.Count, TopWeights.Count));
            }
        }
    }
}
