using System.Collections.Generic;

namespace FibQuant.Llama.Evaluation;

/// <summary>The rows of a sweep and what the model rows were measured on.</summary>
/// <param name="Rows">Model rows first (sweep order), then synthetic rows per dimension.</param>
/// <param name="TextPath">The evaluation text.</param>
/// <param name="PrefixBytes">Bytes of the text prefix used.</param>
/// <param name="Windows">Windows evaluated.</param>
/// <param name="PredictedTokens">Tokens predicted per configuration.</param>
/// <param name="Float32Perplexity">The fp32 reference perplexity under the protocol.</param>
/// <param name="WholeFileTokens">Tokens predicted on the whole file (0 unless requested).</param>
/// <param name="Options">The options the sweep ran with.</param>
public sealed record SweepResult(IReadOnlyList<SweepRow> Rows, string TextPath, int PrefixBytes, int Windows, long PredictedTokens,
    double Float32Perplexity, long WholeFileTokens, SweepOptions Options);
