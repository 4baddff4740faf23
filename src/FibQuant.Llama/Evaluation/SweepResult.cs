using System.Collections.Generic;

namespace FibQuant.Llama.Evaluation;

/// <summary>The rows of a sweep and what the model rows were measured on.</summary>
/// <param name="Rows">Model rows per model (sweep order), then synthetic rows per dimension.</param>
/// <param name="Models">Per model: its name, configuration and fp32 perplexity under the protocol.</param>
/// <param name="TextPath">The evaluation text.</param>
/// <param name="PrefixBytes">Bytes of the text prefix used.</param>
/// <param name="Windows">Windows evaluated.</param>
/// <param name="PredictedTokens">Tokens predicted per configuration.</param>
/// <param name="WholeFileTokens">Tokens predicted on the whole file (0 unless requested).</param>
/// <param name="Allocations">The allocated configurations with their per-layer codecs.</param>
/// <param name="Options">The options the sweep ran with.</param>
public sealed record SweepResult(IReadOnlyList<SweepRow> Rows, IReadOnlyList<ModelSummary> Models, string TextPath, int PrefixBytes, int Windows,
    long PredictedTokens, long WholeFileTokens, IReadOnlyList<AllocationSummary> Allocations, SweepOptions Options);

/// <summary>One model of a sweep.</summary>
/// <param name="Name">Its source name.</param>
/// <param name="Config">Its configuration.</param>
/// <param name="Float32Perplexity">fp32 perplexity under the protocol.</param>
public sealed record ModelSummary(string Name, LlamaConfig Config, double Float32Perplexity);

/// <summary>An allocated configuration of a sweep.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Budget">The budget, bits per coordinate.</param>
/// <param name="Configuration">The allocation.</param>
public sealed record AllocationSummary(string Model, double Budget, KvCacheConfiguration Configuration);
