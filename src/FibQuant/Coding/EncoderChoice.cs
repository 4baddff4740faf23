using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>What <see cref="EncoderKind.Auto"/> resolves to, for runtime and generated codecs alike.</summary>
public static class EncoderChoice
{
    /// <summary>
    /// The codebook size from which the hierarchical search is the default (for k ≥ <see cref="ApproximateFromBlockSize"/>).
    /// Measured with LargeNEncoderBenchmarks / LargeNSearchBenchmarks (d = 128, k = 8, Haar, AVX-512, one thread, shared
    /// machine at load 9–13; benchmarks/FibQuant.Benchmarks/README.md, "Large-N encoders"): with orthant cells and
    /// candidate lists the search alone takes 0.16–0.18× of the exact search's time at N = 256, 1024 and 2048, and the
    /// whole encode 0.46–0.49×, 0.35–0.40× and 0.16–0.20×, within 0.5 % of exact distortion (held-out 20 000 vectors:
    /// 1.0023, 1.0033, 1.0045). From N = 1024 the saving is at least 2.5× per encode; below it the exact search (16
    /// codewords, or for N ≤ 64 16 blocks, per AVX-512 instruction) costs a few µs per vector and keeps exact codes.
    /// </summary>
    public const int ApproximateFrom = 1024;

    /// <summary>
    /// The smallest block length for which <see cref="EncoderKind.Auto"/> picks the hierarchical search: its cells are the
    /// sign patterns of min(k, 8) coordinates, and only k = 8 was measured; smaller k has fewer, larger cells.
    /// </summary>
    public const int ApproximateFromBlockSize = 8;

    /// <summary>The encoder <see cref="EncoderKind.Auto"/> uses for <paramref name="spec"/>.</summary>
    public static EncoderKind For(CodebookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return For(spec.BlockSize, spec.Codewords);
    }

    internal static EncoderKind For(int blockSize, int codewords) =>
        codewords >= ApproximateFrom && blockSize >= ApproximateFromBlockSize ? EncoderKind.Hierarchical : EncoderKind.Exact;

    /// <summary>
    /// The block search a generated codebook's codec runs: the one <see cref="FibQuantizer"/> builds with
    /// <see cref="EncoderKind.Auto"/> for the same table (null: the exact search), built once on first use. The
    /// hierarchical search depends only on the table, d and k, so both codecs give the same codes.
    /// </summary>
    internal static class ForShape<TShape> where TShape : ICodebookShape
    {
        public static readonly IBlockSearch? Search = For(TShape.BlockSize, TShape.Codewords) == EncoderKind.Hierarchical
            ? HierarchicalSearch.WithDefaults(TShape.CodewordTable, TShape.Dimension, TShape.BlockSize)
            : null;
    }
}
