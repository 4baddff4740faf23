using System;

namespace FibQuant.Attention;

/// <summary>
/// Buffers one compressed attention step needs, owned by the cache so a step allocates nothing; only the score
/// buffer grows, when the context outgrows it (doubling, rounded to whole pages).
/// </summary>
internal sealed class AttentionScratch
{
    public AttentionScratch(int dimension, PagedCodes keys, PagedCodes values)
    {
        Rotated = new float[dimension];
        Accumulated = new float[dimension];
        Table = new float[keys.Blocks * keys.Codewords];
        Quantized = keys.Layout == CodeLayout.Nibbles && keys.StoredBlocks <= QuantizedScoreTable.MaxBlocks
            ? new QuantizedScoreTable(keys.StoredBlocks)
            : null;
        Histogram = new float[values.Blocks * values.Codewords];
        Group = new float[PagedCodes.GroupTokens];
        Weights = new float[PagedCodes.PageTokens];
        Scores = new float[PagedCodes.PageTokens];
    }

    /// <summary>The rotated query q' = Π q, then the rotated-domain output.</summary>
    public float[] Rotated { get; }

    /// <summary>The rotated-domain value accumulator.</summary>
    public float[] Accumulated { get; }

    /// <summary>LUT_i[n] = ⟨q'_i, c_n⟩, B·N floats.</summary>
    public float[] Table { get; }

    /// <summary>The 8-bit table of the fast-scan kernel (null when the key codebook has N ≠ 16).</summary>
    public QuantizedScoreTable? Quantized { get; }

    /// <summary>Weighted value-code histogram, B·N floats.</summary>
    public float[] Histogram { get; }

    /// <summary>Scores of one group of 32 tokens.</summary>
    public float[] Group { get; }

    /// <summary>Per-page weights p_t · ν_t.</summary>
    public float[] Weights { get; }

    /// <summary>Scores, then probabilities, of every attended token.</summary>
    public float[] Scores { get; private set; }

    /// <summary>Makes <see cref="Scores"/> hold at least <paramref name="length"/> entries.</summary>
    public Span<float> ScoresFor(int length)
    {
        if (Scores.Length < length)
        {
            long grown = Math.Max(length, 2L * Scores.Length);
            grown = (grown + PagedCodes.PageTokens - 1) / PagedCodes.PageTokens * PagedCodes.PageTokens;
            Scores = new float[(int)Math.Min(grown, Array.MaxLength)];
        }

        return Scores.AsSpan(0, length);
    }
}
