namespace FibQuant.Llama.Evaluation;

/// <summary>One result row: a cache configuration measured on one source (the model's text, or a synthetic head).</summary>
/// <param name="Source">"stories260K" or "synthetic d=…".</param>
/// <param name="HeadDimension">Head dimension d of the source.</param>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Family">fp32, fp16, TurboQuant, FibQuant or mixed.</param>
/// <param name="Rotation">Haar, Hadamard or "—".</param>
/// <param name="BlockSize">k (0 for fp32/fp16).</param>
/// <param name="Codewords">N (0 for fp32/fp16).</param>
/// <param name="BitsPerCoordinate">b (32 / 16 for fp32 / fp16).</param>
/// <param name="NominalCompression">Encoded-format compression against fp16 (fp16 norm header included).</param>
/// <param name="MeasuredCompression">In-memory cache bytes compression against fp16 (the cache keeps fp32 norms and padded code layouts).</param>
/// <param name="AttentionCosine">Mean attention-output cosine with fp32.</param>
/// <param name="WorstCosine">Worst head (model) or worst query (synthetic) cosine.</param>
/// <param name="Perplexity">Windowed perplexity (NaN for synthetic sources).</param>
/// <param name="PerplexityIncrease">Perplexity minus the fp32 perplexity (NaN for synthetic sources).</param>
/// <param name="WholeFilePerplexity">Whole-file windowed perplexity (NaN unless requested).</param>
public readonly record struct SweepRow(string Source, int HeadDimension, string Configuration, string Family, string Rotation,
    int BlockSize, int Codewords, double BitsPerCoordinate, double NominalCompression, double MeasuredCompression,
    double AttentionCosine, double WorstCosine, double Perplexity, double PerplexityIncrease, double WholeFilePerplexity);
