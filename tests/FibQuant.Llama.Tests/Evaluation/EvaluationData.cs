using System;
using System.Collections.Generic;
using FibQuant.Llama.Evaluation;

namespace FibQuant.Llama.Tests.Evaluation;

/// <summary>The protocol's token windows and one shared codebook library, built once for the evaluation tests.</summary>
internal static class EvaluationData
{
    private static readonly Lazy<int[]> LazyTokens = new(() =>
        PerplexityProtocol.EncodePrefix(TestData.Tokenizer, LlamaDataPaths.Resolve(PerplexityProtocol.TextFile)));

    /// <summary>The protocol's tokens (first 20 000 bytes, no BOS/EOS).</summary>
    public static int[] Tokens => LazyTokens.Value;

    /// <summary>Codebooks designed once for all evaluation tests (tests run serially).</summary>
    public static CodecLibrary Codecs { get; } = new();

    /// <summary>The first <paramref name="count"/> protocol windows.</summary>
    public static IReadOnlyList<ReadOnlyMemory<int>> Windows(int count) => PerplexityProtocol.Windows(Tokens, PerplexityProtocol.WindowTokens, count);

    /// <summary>Evaluates a configuration on the first <paramref name="windows"/> windows with the attention comparison.</summary>
    public static ModelEvaluation Evaluate(KvCacheConfiguration configuration, int windows) =>
        ModelEvaluator.Evaluate(TestData.Model, Windows(windows), configuration.CreateFactory(Codecs), compareAttention: true);
}
