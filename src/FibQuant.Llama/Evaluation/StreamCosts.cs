using System;
using System.Collections.Generic;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// The calibration KL divergence of every (stream, catalog codec) pair, stream 2l the keys and 2l+1 the values of layer l,
/// each measured with only that stream quantized.
/// </summary>
public sealed class StreamCosts
{
    private readonly double[,] _kl;

    /// <summary>Wraps measured costs.</summary>
    /// <param name="catalog">The codecs, in column order.</param>
    /// <param name="kl">KL per (stream, catalog entry).</param>
    public StreamCosts(IReadOnlyList<CacheCodec> catalog, double[,] kl)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(kl);
        if (kl.GetLength(1) != catalog.Count || kl.GetLength(0) == 0 || kl.GetLength(0) % 2 != 0)
            throw new ArgumentException("kl must have an even, positive number of streams and one column per catalog entry.", nameof(kl));
        Catalog = catalog;
        _kl = (double[,])kl.Clone();
    }

    /// <summary>The codecs to choose from.</summary>
    public IReadOnlyList<CacheCodec> Catalog { get; }

    /// <summary>Streams: 2 per layer.</summary>
    public int Streams => _kl.GetLength(0);

    /// <summary>The calibration KL of <paramref name="stream"/> quantized with catalog entry <paramref name="entry"/>.</summary>
    public double Kl(int stream, int entry) => _kl[stream, entry];
}
