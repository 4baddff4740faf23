using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>What <see cref="EncoderKind.Auto"/> resolves to, for runtime and generated codecs alike.</summary>
public static class EncoderChoice
{
    /// <summary>
    /// The codebook size from which the hierarchical search is the default (for k ≥ <see cref="ApproximateFromBlockSize"/>).
    /// Measured with LargeNEncoderBenchmarks (d = 128, k = 8, AVX-512, shared machine; benchmarks/FibQuant.Benchmarks/README.md,
    /// "Large-N encoders"): with orthant cells and candidate lists the hierarchical encode is at least 3× faster than the
    /// exact one at N = 1024 and 2048 within 0.5 % of its distortion on the calibration sample (under 1 % on held-out
    /// vectors). Below 1024 the exact search stays the default: a k = 8, N = 256 search is also faster hierarchically,
    /// but not by the ≥ 3× that would justify an approximate default where the exact one costs ~1–2 µs per vector.
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
