using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Automatic rate allocation: given an average budget of b bits per cached coordinate (the codebook rate log2 N / k,
/// norm headers excluded), chooses a codec from a catalog for the keys and for the values of every layer so that the
/// mean rate over the 2·L streams equals the budget exactly and the KL divergence from the fp32 model on a calibration
/// text is smallest. The KL of each (stream, codec) pair is measured with only that stream quantized (every other
/// stream fp32); the allocation minimises their sum (an additive model of the total KL) by exact dynamic programming
/// over the rates, which are whole multiples of <see cref="RateQuantum"/>.
/// </summary>
public static class RateAllocator
{
    /// <summary>The rate grid: every catalog rate and budget must be a whole multiple of it.</summary>
    public const double RateQuantum = 0.25;

    /// <summary>Measures the KL of each (stream, catalog codec) on the calibration trace, in parallel over streams.</summary>
    /// <param name="model">The model.</param>
    /// <param name="calibration">fp32 trace of the calibration text (disjoint from the evaluation text).</param>
    /// <param name="catalog">Codebook codecs to choose from (each rate a multiple of <see cref="RateQuantum"/>).</param>
    /// <param name="codecs">Where the catalog is designed (designed beforehand when called in parallel).</param>
    /// <param name="cancellationToken">Checked between measurements.</param>
    public static StreamCosts MeasureCosts(LlamaModel model, ReferenceTrace calibration, IReadOnlyList<CacheCodec> catalog, CodecLibrary codecs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(codecs);
        if (catalog.Count == 0) throw new ArgumentException("The catalog is empty.", nameof(catalog));
        int layers = model.Config.LayerCount, d = model.Config.HeadSize;
        foreach (CacheCodec codec in catalog)
        {
            if (codec.Spec is null || !codec.Supports(d))
                throw new ArgumentException($"Catalog entry {codec.Name} is not a codebook of dimension {d}.", nameof(catalog));
            RateUnits(codec.Spec.BitsPerCoordinate, nameof(catalog));
            codecs.Get(codec.Spec);
        }

        var kl = new double[2 * layers, catalog.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, 2 * layers * catalog.Count, options, job =>
        {
            int stream = job / catalog.Count, entry = job % catalog.Count;
            var layerCodecs = new LayerCodecs[layers];
            for (int l = 0; l < layers; l++) layerCodecs[l] = new LayerCodecs(CacheCodec.Float32, CacheCodec.Float32);
            CacheCodec codec = catalog[entry];
            int layer = stream / 2;
            layerCodecs[layer] = stream % 2 == 0 ? new LayerCodecs(codec, CacheCodec.Float32) : new LayerCodecs(CacheCodec.Float32, codec);
            var probe = new KvCacheConfiguration("probe", CacheCodec.Float32, CacheCodec.Float32, layerCodecs);
            kl[stream, entry] = ReferenceComparison.Evaluate(model, calibration, probe, codecs, cancellationToken: cancellationToken).KlMean;
        });
        return new StreamCosts(catalog, kl);
    }

    /// <summary>
    /// The allocation at <paramref name="budget"/> bits per coordinate (mean codebook rate over keys and values of all
    /// layers, exactly), minimising the summed per-stream KL.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget is not a multiple of <see cref="RateQuantum"/> or outside the catalog's rates.</exception>
    public static KvCacheConfiguration Allocate(StreamCosts costs, double budget)
    {
        ArgumentNullException.ThrowIfNull(costs);
        int streams = costs.Streams, entries = costs.Catalog.Count;
        int target = RateUnits(budget, nameof(budget)) * streams;
        var units = new int[entries];
        int maxUnits = 0, minUnits = int.MaxValue;
        for (int e = 0; e < entries; e++)
        {
            units[e] = RateUnits(costs.Catalog[e].Spec!.BitsPerCoordinate, nameof(costs));
            maxUnits = Math.Max(maxUnits, units[e]);
            minUnits = Math.Min(minUnits, units[e]);
        }

        if (target > maxUnits * streams || target < minUnits * streams)
            throw new ArgumentOutOfRangeException(nameof(budget), budget,
                string.Create(CultureInfo.InvariantCulture, $"budget must be in [{minUnits * RateQuantum}, {maxUnits * RateQuantum}] bits, the catalog's rates."));

        // best[s, u]: least summed KL of streams 0 … s−1 using u rate units in all; choice[s, u]: the catalog entry of stream s−1.
        var best = new double[streams + 1, target + 1];
        var choice = new int[streams + 1, target + 1];
        for (int u = 1; u <= target; u++) best[0, u] = double.PositiveInfinity;
        for (int s = 1; s <= streams; s++)
        {
            for (int u = 0; u <= target; u++)
            {
                best[s, u] = double.PositiveInfinity;
                choice[s, u] = -1;
                for (int e = 0; e < entries; e++)
                {
                    if (units[e] > u || double.IsPositiveInfinity(best[s - 1, u - units[e]])) continue;
                    double cost = best[s - 1, u - units[e]] + costs.Kl(s - 1, e);
                    if (cost < best[s, u])
                    {
                        best[s, u] = cost;
                        choice[s, u] = e;
                    }
                }
            }
        }

        if (double.IsPositiveInfinity(best[streams, target]))
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "No combination of catalog rates meets this budget exactly.");
        var picked = new int[streams];
        for (int s = streams, u = target; s > 0; s--)
        {
            picked[s - 1] = choice[s, u];
            u -= units[picked[s - 1]];
        }

        var layers = new LayerCodecs[streams / 2];
        for (int l = 0; l < layers.Length; l++) layers[l] = new LayerCodecs(costs.Catalog[picked[2 * l]], costs.Catalog[picked[2 * l + 1]]);
        return new KvCacheConfiguration(string.Create(CultureInfo.InvariantCulture, $"allocated b={budget:0.##}"), layers[0].Keys, layers[0].Values, layers);
    }

    private static int RateUnits(double bits, string parameter)
    {
        double units = bits / RateQuantum;
        if (bits <= 0 || units != Math.Round(units))
            throw new ArgumentOutOfRangeException(parameter, bits, string.Create(CultureInfo.InvariantCulture, $"rates must be positive multiples of {RateQuantum} bits."));
        return (int)units;
    }
}
