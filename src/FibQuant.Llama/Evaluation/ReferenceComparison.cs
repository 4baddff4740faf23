using System;
using System.Threading;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Runs a cache configuration over the windows of a <see cref="ReferenceTrace"/> (same teacher-forced tokens, each window
/// after BOS from position 0 with fresh caches) and compares it with the fp32 run: perplexity, per-token KL divergence of
/// the next-token distribution, top-1 agreement, attention-output cosine and attention top-10 recall per layer.
/// </summary>
public static class ReferenceComparison
{
    /// <summary>Evaluates <paramref name="configuration"/> against <paramref name="reference"/>.</summary>
    /// <param name="model">The model the trace was recorded on.</param>
    /// <param name="reference">The fp32 trace.</param>
    /// <param name="configuration">The cache configuration under test.</param>
    /// <param name="codecs">Where its codebooks are designed (or found).</param>
    /// <param name="onWindow">Called after each window (for progress).</param>
    /// <param name="cancellationToken">Checked between windows.</param>
    public static ConfigurationEvaluation Evaluate(LlamaModel model, ReferenceTrace reference, KvCacheConfiguration configuration, CodecLibrary codecs,
        Action? onWindow = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(codecs);
        LlamaConfig p = model.Config;
        if (!ReferenceEquals(p, reference.Config)) throw new ArgumentException("The trace was recorded on another model.", nameof(reference));
        var caches = new ReconstructedKvCache[p.LayerCount * p.KvHeadCount];
        var observer = new Observer(reference, caches);
        LlamaSession session = model.CreateSession(configuration.CreateFactory(codecs, (l, h, cache) => caches[l * p.KvHeadCount + h] = cache), observer);
        var kl = new double[reference.Tokens];
        var scratch = new float[p.VocabularySize];
        double nll = 0;
        long agree = 0, cacheBytes = 0, float16Bytes = 0;
        int index = 0;
        foreach (ReadOnlyMemory<int> memory in reference.Windows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Reset();
            ReadOnlySpan<int> window = memory.Span;
            int token = LlamaTokenizer.Bos;
            for (int i = 0; i < window.Length; i++)
            {
                observer.Token = index;
                ReadOnlySpan<float> logits = session.Forward(token);
                kl[index] = NextTokenDistribution.KlDivergence(reference.LogProbabilities(index), logits, scratch, out int argmax);
                if (argmax == reference.Argmax(index)) agree++;
                nll -= scratch[window[i]];
                token = window[i];
                index++;
            }

            cacheBytes += session.CacheBytes;
            float16Bytes += 4L * window.Length * p.HeadSize * p.LayerCount * p.KvHeadCount;
            onWindow?.Invoke();
        }

        double klMean = 0;
        foreach (double value in kl) klMean += value;
        klMean /= kl.Length;
        Array.Sort(kl);
        double klP99 = kl[Math.Max(0, (int)Math.Ceiling(0.99 * kl.Length) - 1)];
        return new ConfigurationEvaluation(index, Math.Exp(nll / index), klMean, klP99, (double)agree / index,
            observer.MeanCosine(), observer.WorstHeadCosine(), observer.MeanRecall(), observer.LayerCosine(), observer.LayerRecall(),
            cacheBytes, float16Bytes);
    }

    /// <summary>Accumulates cosine and top-10 recall per (layer, query head) against the trace.</summary>
    private sealed class Observer : IAttentionObserver
    {
        private readonly ReferenceTrace _reference;
        private readonly ReconstructedKvCache[] _caches;
        private readonly double[] _cosine, _recall;
        private readonly long[] _cosineCount, _recallCount;
        private readonly int[] _scratch = new int[TopWeights.Count];
        private readonly LlamaConfig _config;

        public Observer(ReferenceTrace reference, ReconstructedKvCache[] caches)
        {
            _reference = reference;
            _caches = caches;
            _config = reference.Config;
            int slots = _config.LayerCount * _config.HeadCount;
            _cosine = new double[slots];
            _recall = new double[slots];
            _cosineCount = new long[slots];
            _recallCount = new long[slots];
        }

        public int Token { get; set; }

        public void OnAttentionOutput(int layer, int head, int position, ReadOnlySpan<float> output)
        {
            int slot = layer * _config.HeadCount + head;
            _cosine[slot] += VectorSimilarity.Cosine(_reference.Output(Token, layer, head), output);
            _cosineCount[slot]++;
            if (position + 1 <= TopWeights.Count) return;
            ReadOnlySpan<float> weights = _caches[layer * _config.KvHeadCount + head / _config.QueryHeadsPerKvHead].LastWeights;
            _recall[slot] += (double)TopWeights.Recall(_reference.TopKeys(Token, layer, head), weights, _scratch) / TopWeights.Count;
            _recallCount[slot]++;
        }

        public double MeanCosine() => Mean(_cosine, _cosineCount, 0, _cosine.Length);

        public double MeanRecall() => Mean(_recall, _recallCount, 0, _recall.Length);

        public double WorstHeadCosine()
        {
            double worst = double.PositiveInfinity;
            for (int i = 0; i < _cosine.Length; i++) worst = Math.Min(worst, _cosine[i] / _cosineCount[i]);
            return worst;
        }

        public double[] LayerCosine() => PerLayer(_cosine, _cosineCount);

        public double[] LayerRecall() => PerLayer(_recall, _recallCount);

        private double[] PerLayer(double[] sums, long[] counts)
        {
            var layers = new double[_config.LayerCount];
            for (int l = 0; l < layers.Length; l++) layers[l] = Mean(sums, counts, l * _config.HeadCount, _config.HeadCount);
            return layers;
        }

        private static double Mean(double[] sums, long[] counts, int start, int length)
        {
            double total = 0;
            for (int i = start; i < start + length; i++) total += counts[i] == 0 ? double.NaN : sums[i] / counts[i];
            return total / length;
        }
    }
}
