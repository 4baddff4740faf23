using System.Collections.Generic;

namespace FibQuant.Llama.Evaluation;

/// <summary>One result row: a cache configuration measured on one source (a model's text, or a synthetic head).</summary>
/// <param name="Source">The model's name ("stories260K", "hd64") or "synthetic d=…".</param>
/// <param name="HeadDimension">Head dimension d of the source.</param>
/// <param name="Configuration">The configuration's name.</param>
/// <param name="Family">fp32, fp16, TurboQuant, FibQuant, q8_0, q4_0, mixed (a " +fp" suffix: full-precision tokens).</param>
/// <param name="Rotation">Haar, Hadamard, "—" or "mixed".</param>
/// <param name="BlockSize">k of the key codec (0 unless a codebook).</param>
/// <param name="Codewords">N of the key codec (0 unless a codebook).</param>
/// <param name="BitsPerCoordinate">b: the mean codebook rate log2 N / k when every stream is a codebook, otherwise the stored bits (32, 16, 8.5, 4.5).</param>
/// <param name="StoredBits">Stored bits per cached coordinate, norm headers and block scales included (full-precision tokens excluded).</param>
/// <param name="NominalCompression">Compression of the stored format against fp16 at the protocol's window length (full-precision tokens as fp16).</param>
/// <param name="MeasuredCompression">fp16 bytes ÷ the caches' stored bytes summed over the evaluated windows.</param>
/// <param name="AttentionCosine">Mean attention-output cosine with fp32.</param>
/// <param name="WorstCosine">Worst head (model) or worst query (synthetic) cosine.</param>
/// <param name="Perplexity">Windowed perplexity (NaN for synthetic sources).</param>
/// <param name="PerplexityIncrease">Perplexity minus the fp32 perplexity (NaN for synthetic sources).</param>
/// <param name="WholeFilePerplexity">Whole-file windowed perplexity (NaN unless requested).</param>
/// <param name="KlMean">Mean per-token KL divergence from the fp32 next-token distribution, nats (NaN for synthetic sources).</param>
/// <param name="KlP99">99th percentile of the per-token KL, nats.</param>
/// <param name="Top1Agreement">Fraction of tokens whose argmax next token equals fp32's.</param>
/// <param name="Top10Recall">Attention top-10 recall (mean over layers and heads).</param>
/// <param name="LayerCosine">Attention cosine per layer (empty for synthetic sources).</param>
/// <param name="LayerRecall">Top-10 recall per layer (empty for synthetic sources).</param>
public sealed record SweepRow(string Source, int HeadDimension, string Configuration, string Family, string Rotation,
    int BlockSize, int Codewords, double BitsPerCoordinate, double StoredBits, double NominalCompression, double MeasuredCompression,
    double AttentionCosine, double WorstCosine, double Perplexity, double PerplexityIncrease, double WholeFilePerplexity,
    double KlMean, double KlP99, double Top1Agreement, double Top10Recall, IReadOnlyList<double> LayerCosine, IReadOnlyList<double> LayerRecall);
