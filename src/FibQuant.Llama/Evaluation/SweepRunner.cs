using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Runs a sweep: designs the codebooks, evaluates every configuration on the model under the
/// <see cref="PerplexityProtocol"/> (perplexity, attention cosine against fp32 in lockstep, cache compression), and on
/// synthetic heads of larger dimensions. Sequential and seeded: the same inputs give the same numbers.
/// </summary>
public static class SweepRunner
{
    /// <summary>Source name of the model rows.</summary>
    public const string ModelSource = "stories260K";

    /// <summary>Runs the sweep described by <paramref name="options"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="textPath">The evaluation text.</param>
    /// <param name="options">What to cover.</param>
    /// <param name="codecs">Where codebooks are designed (and reused across calls).</param>
    /// <param name="progress">Receives progress synchronously.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    public static SweepResult Run(LlamaModel model, LlamaTokenizer tokenizer, string textPath, SweepOptions options, CodecLibrary codecs,
        IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(codecs);
        int d = model.Config.HeadSize;
        int[] tokens = PerplexityProtocol.EncodePrefix(tokenizer, textPath, options.PrefixBytes);
        IReadOnlyList<ReadOnlyMemory<int>> windows = PerplexityProtocol.Windows(tokens, PerplexityProtocol.WindowTokens,
            options.Quick ? SweepOptions.QuickWindows : 0);
        IReadOnlyList<ReadOnlyMemory<int>> wholeWindows = Array.Empty<ReadOnlyMemory<int>>();
        if (options.WholeFile)
        {
            int[] all = PerplexityProtocol.EncodeInChunks(tokenizer, PerplexityProtocol.ReadPrefix(textPath, 0), PerplexityProtocol.PrefixBytes);
            wholeWindows = PerplexityProtocol.Windows(all);
        }

        IReadOnlyList<KvCacheConfiguration> modelConfigs = EvaluationSweep.Configurations(d, options.Quick);
        var syntheticConfigs = new List<IReadOnlyList<KvCacheConfiguration>>();
        foreach (int sd in options.SyntheticDimensions) syntheticConfigs.Add(EvaluationSweep.Configurations(sd, options.Quick, includeFloat32: false));

        var pendingSpecs = new List<(string Label, CodebookSpec Spec)>();
        var seen = new HashSet<CodebookSpec>();
        void Collect(IReadOnlyList<KvCacheConfiguration> configs)
        {
            foreach (KvCacheConfiguration c in configs)
            {
                if (c.Storage != CacheStorage.Quantized) continue;
                foreach (CodebookSpec spec in new[] { c.KeySpec!, c.ValueSpec! })
                {
                    if (!codecs.Contains(spec) && seen.Add(spec))
                        pendingSpecs.Add((string.Create(CultureInfo.InvariantCulture, $"design d={spec.Dimension} k={spec.BlockSize} N={spec.Codewords} {spec.Rotation}"), spec));
                }
            }
        }

        Collect(modelConfigs);
        foreach (IReadOnlyList<KvCacheConfiguration> configs in syntheticConfigs) Collect(configs);

        int total = pendingSpecs.Count + modelConfigs.Count * (windows.Count + wholeWindows.Count);
        foreach (IReadOnlyList<KvCacheConfiguration> configs in syntheticConfigs) total += configs.Count;
        int completed = 0;
        void Report(string step) => progress?.Report(new SweepProgress(completed, total, step));

        foreach ((string label, CodebookSpec spec) in pendingSpecs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Report(label);
            codecs.Get(spec);
            completed++;
        }

        var rows = new List<SweepRow>();
        double float32Perplexity = double.NaN;
        long wholeTokens = 0;
        foreach (KvCacheConfiguration config in modelConfigs)
        {
            Report(config.Name);
            var factory = config.CreateFactory(codecs);
            ModelEvaluation eval = ModelEvaluator.Evaluate(model, windows, factory, compareAttention: true,
                () => { completed++; Report(config.Name); }, cancellationToken);
            double whole = double.NaN;
            if (wholeWindows.Count > 0)
            {
                ModelEvaluation wholeEval = ModelEvaluator.Evaluate(model, wholeWindows, factory, compareAttention: false,
                    () => { completed++; Report(config.Name + " (whole file)"); }, cancellationToken);
                whole = wholeEval.Perplexity;
                wholeTokens = wholeEval.PredictedTokens;
            }

            if (config.Storage == CacheStorage.Float32) float32Perplexity = eval.Perplexity;
            rows.Add(Row(ModelSource, d, config, eval.CompressionRatio, eval.AttentionCosine, eval.WorstHeadCosine,
                eval.Perplexity, eval.Perplexity - float32Perplexity, whole));
        }

        for (int i = 0; i < options.SyntheticDimensions.Count; i++)
        {
            int sd = options.SyntheticDimensions[i];
            SyntheticHead head = SyntheticHeadGenerator.Generate(new SyntheticHeadOptions(sd, options.SyntheticTokens, options.SyntheticQueries, seed: options.SyntheticSeed));
            string source = string.Create(CultureInfo.InvariantCulture, $"synthetic d={sd}");
            foreach (KvCacheConfiguration config in syntheticConfigs[i])
            {
                cancellationToken.ThrowIfCancellationRequested();
                Report(source + ": " + config.Name);
                SyntheticEvaluation eval = SyntheticAttentionEvaluator.Evaluate(head, config.CreateFactory(codecs));
                rows.Add(Row(source, sd, config, eval.CompressionRatio, eval.MeanCosine, eval.MinCosine, double.NaN, double.NaN, double.NaN));
                completed++;
            }
        }

        Report("done");
        return new SweepResult(rows, textPath, options.PrefixBytes, windows.Count, TokensOf(windows), float32Perplexity, wholeTokens, options);
    }

    private static long TokensOf(IReadOnlyList<ReadOnlyMemory<int>> windows)
    {
        long n = 0;
        foreach (ReadOnlyMemory<int> w in windows) n += w.Length;
        return n;
    }

    private static SweepRow Row(string source, int d, KvCacheConfiguration config, double measuredCompression, double cosine, double worst,
        double perplexity, double increase, double whole) =>
        new(source, d, config.Name, config.Family, config.RotationName, config.KeySpec?.BlockSize ?? 0, config.KeySpec?.Codewords ?? 0,
            config.BitsPerCoordinate, config.NominalCompressionRatio(d), measuredCompression, cosine, worst, perplexity, increase, whole);
}
