using System;
using System.Collections.Generic;

namespace FibQuant.Llama.Evaluation;

/// <summary>Validation of the protocol's token windows against a model.</summary>
internal static class WindowChecks
{
    /// <summary>The total number of tokens; every window must hold 1 … sequence length − 1 tokens (BOS comes first).</summary>
    public static int CountTokens(IReadOnlyList<ReadOnlyMemory<int>> windows, LlamaConfig config)
    {
        if (windows.Count == 0) throw new ArgumentException("No windows to evaluate.", nameof(windows));
        long total = 0;
        for (int w = 0; w < windows.Count; w++)
        {
            int length = windows[w].Length;
            if (length == 0 || length >= config.SequenceLength)
                throw new ArgumentException($"Window {w} has {length} tokens; 1 … {config.SequenceLength - 1} fit after BOS.", nameof(windows));
            total += length;
        }

        if (total * Math.Max(config.VocabularySize, config.LayerCount * Math.Max(config.Dimension, config.HeadCount * TopWeights.Count)) > int.MaxValue) throw new ArgumentException($"{total} tokens are too many to record.", nameof(windows));
        return (int)total;
    }
}
