using System;

namespace FibQuant.Attention;

/// <summary>
/// Buffers one compressed attention step needs, owned by the cache so a step allocates nothing once warm: the score
/// buffer grows when the context (times the query heads of a group) outgrows it (doubling, rounded to whole pages),
/// and the per-head tables and accumulators grow when a group has more query heads than any earlier call.
/// </summary>
internal sealed class AttentionScratch
{
    private readonly int _dimension;
    private readonly PagedCodes _keys;
    private readonly bool _permute;
    private readonly int _nibbleAccumulators;
    private float[][] _tables = Array.Empty<float[]>();
    private QuantizedScoreTable[] _quantized = Array.Empty<QuantizedScoreTable>();
    private float[] _scores;

    public AttentionScratch(int dimension, PagedCodes keys, PagedCodes values, ReadOnlySpan<float> valueCodewords, int valueBlockSize)
    {
        _dimension = dimension;
        _keys = keys;
        Rotated = new float[dimension];
        Accumulated = new float[dimension];
        NibbleTables = NibbleValueKernel.Supports(values.Layout) ? NibbleValueKernel.BuildTables(valueCodewords, valueBlockSize) : null;
        _nibbleAccumulators = NibbleTables is null ? 0 : NibbleValueKernel.AccumulatorsPerHead(values.StoredBlocks, valueBlockSize);
        _permute = NibbleTables is null && ValuePermuteKernel.Supports(values.Layout, values.Codewords);
        ValueTables = _permute ? ValuePermuteKernel.BuildTables(valueCodewords, valueBlockSize) : null;
        Histogram = _permute || NibbleTables is not null ? Array.Empty<float>() : new float[ValueHistogram.Copies(values.Layout) * values.Blocks * values.Codewords];
        Group = new float[PagedCodes.GroupTokens];
        Norms = new float[PagedCodes.PageTokens];
        Maxima = Array.Empty<float>();
        PageScores = Array.Empty<float>();
        Sums = Array.Empty<float>();
        Weights = Array.Empty<float>();
        Accumulators = Array.Empty<float>();
        _scores = new float[PagedCodes.PageTokens];
        EnsureHeads(1);
    }

    /// <summary>The rotated query q' = Π q.</summary>
    public float[] Rotated { get; }

    /// <summary>The rotated-domain value sum of one head.</summary>
    public float[] Accumulated { get; }

    /// <summary>The value codebook transposed for <see cref="ValuePermuteKernel"/> (null where that kernel is not used).</summary>
    public float[]? ValueTables { get; }

    /// <summary>The value codebook transposed for <see cref="NibbleValueKernel"/> (null where that kernel is not used).</summary>
    public float[]? NibbleTables { get; }

    /// <summary>Weighted value-code histogram, B·N floats per copy (see <see cref="ValueHistogram.Copies"/>); empty with <see cref="ValueTables"/>.</summary>
    public float[] Histogram { get; }

    /// <summary>Scores of one group of 32 tokens.</summary>
    public float[] Group { get; }

    /// <summary>One page's norms widened to fp32.</summary>
    public float[] Norms { get; }

    /// <summary>Per-page weights p_t · ν_t, one row of <see cref="PagedCodes.PageTokens"/> per head.</summary>
    public float[] Weights { get; private set; }

    /// <summary>One page's scores, one row of <see cref="PagedCodes.PageTokens"/> per head.</summary>
    public float[] PageScores { get; private set; }

    /// <summary>Each head's largest score (so far).</summary>
    public float[] Maxima { get; private set; }

    /// <summary>Each head's softmax denominator Σ_t exp(s_t − max).</summary>
    public float[] Sums { get; private set; }

    /// <summary>
    /// Lane accumulators of <see cref="ValuePermuteKernel"/> (16·d floats per head) or <see cref="NibbleValueKernel"/>
    /// (<see cref="NibbleAccumulators"/> per head).
    /// </summary>
    public float[] Accumulators { get; private set; }

    /// <summary>Accumulator floats per head of <see cref="NibbleValueKernel"/>.</summary>
    public int NibbleAccumulators => _nibbleAccumulators;

    /// <summary>Scores, then probabilities, of every attended token, one row of the attended length per head.</summary>
    public float[] Scores => _scores;

    /// <summary>LUT_i[n] = ⟨q'_i, c_n⟩ of head <paramref name="head"/>, B·N floats.</summary>
    public float[] Table(int head) => _tables[head];

    /// <summary>The 8-bit table of head <paramref name="head"/> for the fast-scan kernel (null when the key codebook has N ≠ 16).</summary>
    public QuantizedScoreTable? Quantized(int head) => _quantized.Length > head ? _quantized[head] : null;

    /// <summary>Makes the per-head buffers hold <paramref name="heads"/> query heads.</summary>
    public void EnsureHeads(int heads)
    {
        if (_tables.Length >= heads) return;
        var tables = new float[heads][];
        _tables.CopyTo(tables, 0);
        for (int h = _tables.Length; h < heads; h++) tables[h] = new float[_keys.Blocks * _keys.Codewords];
        _tables = tables;
        if (_keys.Layout == CodeLayout.Nibbles && _keys.StoredBlocks <= QuantizedScoreTable.MaxBlocks)
        {
            var quantized = new QuantizedScoreTable[heads];
            _quantized.CopyTo(quantized, 0);
            for (int h = _quantized.Length; h < heads; h++) quantized[h] = new QuantizedScoreTable(_keys.StoredBlocks);
            _quantized = quantized;
        }

        Weights = new float[heads * PagedCodes.PageTokens];
        Maxima = new float[heads];
        PageScores = new float[heads * PagedCodes.PageTokens];
        Sums = new float[heads];
        Accumulators = _permute ? new float[heads * _dimension * ValuePermuteKernel.Lanes]
            : new float[heads * _nibbleAccumulators];
    }

    /// <summary>Makes <see cref="Scores"/> hold at least <paramref name="length"/> entries.</summary>
    public Span<float> ScoresFor(long length) => GrowScores(ref _scores, length);

    /// <summary>
    /// The first <paramref name="length"/> entries of a score buffer, grown first if needed: by doubling, rounded to whole
    /// pages, so a cache that grows token by token reallocates rarely.
    /// </summary>
    internal static Span<float> GrowScores(ref float[] scores, long length)
    {
        if (length > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(length), length, $"heads · length must be at most {Array.MaxLength}.");
        if (scores.Length < length)
        {
            long grown = Math.Max(length, 2L * scores.Length);
            grown = (grown + PagedCodes.PageTokens - 1) / PagedCodes.PageTokens * PagedCodes.PageTokens;
            scores = new float[(int)Math.Min(grown, Array.MaxLength)];
        }

        return scores.AsSpan(0, (int)length);
    }
}
