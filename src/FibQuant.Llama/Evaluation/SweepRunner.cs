using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Runs a sweep: designs the codebooks, records each model's fp32 <see cref="ReferenceTrace"/> under the
/// <see cref="PerplexityProtocol"/>, evaluates every configuration against it (perplexity, KL divergence, top-1
/// agreement, attention cosine and top-10 recall per layer, compression), allocates rates at the requested budgets on
/// a calibration text, and measures synthetic heads of larger dimensions. Configurations run in parallel, each on its
/// own session: the numbers do not depend on the thread count or order.
/// </summary>
public static class SweepRunner
{
    /// <summary>Runs the sweep described by <paramref name="options"/> over <paramref name="models"/>.</summary>
    /// <param name="models">The models, each with its source name.</param>
    /// <param name="tokenizer">Their tokenizer.</param>
    /// <param name="textPath">The evaluation text.</param>
    /// <param name="options">What to cover.</param>
    /// <param name="codecs">Where codebooks are designed (and reused across calls).</param>
    /// <param name="progress">Receives progress (possibly from several threads).</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    public static SweepResult Run(IReadOnlyList<(string Name, LlamaModel Model)> models, LlamaTokenizer tokenizer, string textPath, SweepOptions options,
        CodecLibrary codecs, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(codecs);
        if (models.Count == 0) throw new ArgumentException("No model to evaluate.", nameof(models));
        int[] tokens = PerplexityProtocol.EncodePrefix(tokenizer, textPath, options.PrefixBytes);
        IReadOnlyList<ReadOnlyMemory<int>> windows = PerplexityProtocol.Windows(tokens, PerplexityProtocol.WindowTokens,
            options.Quick ? SweepOptions.QuickWindows : 0);
        IReadOnlyList<ReadOnlyMemory<int>> wholeWindows = Array.Empty<ReadOnlyMemory<int>>();
        if (options.WholeFile)
        {
            int[] all = PerplexityProtocol.EncodeInChunks(tokenizer, PerplexityProtocol.ReadPrefix(textPath, 0), PerplexityProtocol.PrefixBytes);
            wholeWindows = PerplexityProtocol.Windows(all);
        }

        IReadOnlyList<ReadOnlyMemory<int>> calibration = Array.Empty<ReadOnlyMemory<int>>();
        bool allocate = !options.Quick && options.CalibrationTextPath is not null && options.Budgets.Count > 0;
        if (allocate)
        {
            int[] calibrationTokens = PerplexityProtocol.EncodePrefix(tokenizer, options.CalibrationTextPath!, PerplexityProtocol.PrefixBytes);
            calibration = PerplexityProtocol.Windows(calibrationTokens, PerplexityProtocol.WindowTokens, options.CalibrationWindows);
        }

        var modelConfigs = new List<IReadOnlyList<KvCacheConfiguration>>();
        foreach ((_, LlamaModel model) in models)
        {
            var configs = new List<KvCacheConfiguration>();
            foreach (KvCacheConfiguration c in EvaluationSweep.Configurations(model.Config.HeadSize, options.Quick))
            {
                if (c.Supports(model.Config.HeadSize, model.Config.LayerCount)) configs.Add(c);
            }

            modelConfigs.Add(configs);
        }

        var syntheticConfigs = new List<IReadOnlyList<KvCacheConfiguration>>();
        foreach (int sd in options.SyntheticDimensions) syntheticConfigs.Add(EvaluationSweep.Configurations(sd, options.Quick, includeFloat32: false));

        var pendingSpecs = new List<CodebookSpec>();
        var seen = new HashSet<CodebookSpec>();
        void Collect(IEnumerable<CodebookSpec> specs)
        {
            foreach (CodebookSpec spec in specs)
            {
                if (!codecs.Contains(spec) && seen.Add(spec)) pendingSpecs.Add(spec);
            }
        }

        foreach (IReadOnlyList<KvCacheConfiguration> configs in modelConfigs)
        {
            foreach (KvCacheConfiguration c in configs) Collect(c.CodebookSpecs());
        }

        if (allocate)
        {
            foreach ((_, LlamaModel model) in models)
            {
                foreach (CacheCodec codec in EvaluationSweep.AllocationCatalog(model.Config.HeadSize)) Collect(new[] { codec.Spec! });
            }
        }

        foreach (IReadOnlyList<KvCacheConfiguration> configs in syntheticConfigs)
        {
            foreach (KvCacheConfiguration c in configs) Collect(c.CodebookSpecs());
        }

        int total = pendingSpecs.Count + models.Count * (allocate ? 2 : 1);
        foreach (IReadOnlyList<KvCacheConfiguration> configs in modelConfigs) total += configs.Count * (windows.Count + wholeWindows.Count);
        foreach (IReadOnlyList<KvCacheConfiguration> configs in syntheticConfigs) total += configs.Count;
        int completed = 0;
        void Report(string step) => progress?.Report(new SweepProgress(Volatile.Read(ref completed), Volatile.Read(ref total), step));
        void Done(string step)
        {
            Interlocked.Increment(ref completed);
            Report(step);
        }

        foreach (CodebookSpec spec in pendingSpecs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string label = string.Create(CultureInfo.InvariantCulture, $"design d={spec.Dimension} k={spec.BlockSize} N={spec.Codewords} {spec.Rotation}");
            Report(label);
            codecs.Get(spec);
            Done(label);
        }

        var rows = new List<SweepRow>();
        var summaries = new List<ModelSummary>();
        var allocations = new List<AllocationSummary>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        for (int m = 0; m < models.Count; m++)
        {
            (string name, LlamaModel model) = models[m];
            LlamaConfig p = model.Config;
            Report(name + ": fp32 reference");
            ReferenceTrace reference = ReferenceTrace.Record(model, windows, cancellationToken);
            Done(name + ": fp32 reference");
            var configs = new List<KvCacheConfiguration>(modelConfigs[m]);
            if (allocate)
            {
                Report(name + ": allocation costs");
                ReferenceTrace calibrationTrace = ReferenceTrace.Record(model, calibration, cancellationToken);
                StreamCosts costs = RateAllocator.MeasureCosts(model, calibrationTrace, EvaluationSweep.AllocationCatalog(p.HeadSize), codecs, cancellationToken);
                Done(name + ": allocation costs");
                foreach (double budget in options.Budgets)
                {
                    KvCacheConfiguration allocated = RateAllocator.Allocate(costs, budget);
                    allocations.Add(new AllocationSummary(name, budget, allocated));
                    configs.Add(allocated);
                    KvCacheConfiguration? uniform = EvaluationSweep.UniformAt(p.HeadSize, budget);
                    if (uniform is not null && !configs.Exists(c => c.Name == uniform.Name)) configs.Add(uniform);
                }

                Interlocked.Add(ref total, (configs.Count - modelConfigs[m].Count) * (windows.Count + wholeWindows.Count));
            }

            var results = new SweepRow[configs.Count];
            Parallel.For(0, configs.Count, parallel, i =>
            {
                KvCacheConfiguration config = configs[i];
                ConfigurationEvaluation eval = ReferenceComparison.Evaluate(model, reference, config, codecs, () => Done(name + ": " + config.Name), cancellationToken);
                double whole = double.NaN;
                if (wholeWindows.Count > 0)
                {
                    whole = ModelEvaluator.Evaluate(model, wholeWindows, config.CreateFactory(codecs), compareAttention: false,
                        () => Done(name + ": " + config.Name + " (whole file)"), cancellationToken).Perplexity;
                }

                results[i] = Row(name, p, config, eval, reference.Perplexity, whole);
            });
            rows.AddRange(results);
            summaries.Add(new ModelSummary(name, p, reference.Perplexity));
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
                rows.Add(SyntheticRow(source, sd, config, eval));
                Done(source + ": " + config.Name);
            }
        }

        Report("done");
        long wholeTokens = 0;
        foreach (ReadOnlyMemory<int> w in wholeWindows) wholeTokens += w.Length;
        return new SweepResult(rows, summaries, textPath, options.PrefixBytes, windows.Count, TokensOf(windows), wholeTokens, allocations, options);
    }

    private static long TokensOf(IReadOnlyList<ReadOnlyMemory<int>> windows)
    {
        long n = 0;
        foreach (ReadOnlyMemory<int> w in windows) n += w.Length;
        return n;
    }

    private static double Rate(KvCacheConfiguration config, int d, int layers) =>
        config.CodebookRate(layers) ?? config.StoredBitsPerCoordinate(d, layers);

    private static SweepRow Row(string source, LlamaConfig p, KvCacheConfiguration config, ConfigurationEvaluation eval, double float32Perplexity, double whole)
    {
        int d = p.HeadSize, layers = p.LayerCount;
        return new SweepRow(source, d, config.Name, config.Family, config.RotationName, config.Keys.Spec?.BlockSize ?? 0, config.Keys.Spec?.Codewords ?? 0,
            Rate(config, d, layers), config.StoredBitsPerCoordinate(d, layers), config.CompressionRatio(d, layers), eval.CompressionRatio,
            eval.AttentionCosine, eval.WorstHeadCosine, eval.Perplexity, eval.Perplexity - float32Perplexity, whole,
            eval.KlMean, eval.KlP99, eval.Top1Agreement, eval.Top10Recall, eval.LayerCosine, eval.LayerRecall);
    }

    private static SweepRow SyntheticRow(string source, int d, KvCacheConfiguration config, SyntheticEvaluation eval) =>
        new(source, d, config.Name, config.Family, config.RotationName, config.Keys.Spec?.BlockSize ?? 0, config.Keys.Spec?.Codewords ?? 0,
            Rate(config, d, 1), config.StoredBitsPerCoordinate(d, 1), config.CompressionRatio(d, 1, 1), eval.CompressionRatio,
            eval.MeanCosine, eval.MinCosine, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
            Array.Empty<double>(), Array.Empty<double>());
}
