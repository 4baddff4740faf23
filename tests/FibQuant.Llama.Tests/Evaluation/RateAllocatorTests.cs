using System;
using FibQuant.Design;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class RateAllocatorTests
{
    private static readonly CacheCodec[] Catalog =
    {
        CacheCodec.Codebook(Coding.TurboQuant.Spec(64, 1, 1, RotationKind.Haar)),      // 1 bit
        CacheCodec.Codebook(new CodebookSpec(64, 2, 8, 1)),                              // 1.5 bits
        CacheCodec.Codebook(Coding.TurboQuant.Spec(64, 3, 1, RotationKind.Haar)),       // 3 bits
    };

    private static StreamCosts Costs()
    {
        // Four streams (two layers); stream 1 is the sensitive one.
        var kl = new double[4, 3]
        {
            { 0.30, 0.20, 0.05 },
            { 2.00, 1.00, 0.10 },
            { 0.20, 0.15, 0.04 },
            { 0.25, 0.10, 0.06 },
        };
        return new StreamCosts(Catalog, kl);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(1.75)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void TheAllocationMeetsTheBudgetExactlyAndIsOptimal(double budget)
    {
        StreamCosts costs = Costs();
        KvCacheConfiguration allocated = RateAllocator.Allocate(costs, budget);
        Assert.Equal(budget, allocated.CodebookRate(2));
        Assert.Equal(2, allocated.Layers.Count);

        // Brute force over all 3^4 choices with the exact budget.
        double best = double.PositiveInfinity;
        for (int c = 0; c < 81; c++)
        {
            double rate = 0, kl = 0;
            for (int s = 0, code = c; s < 4; s++, code /= 3)
            {
                rate += Catalog[code % 3].Spec!.BitsPerCoordinate;
                kl += costs.Kl(s, code % 3);
            }

            if (rate == 4 * budget) best = Math.Min(best, kl);
        }

        double chosen = 0;
        for (int l = 0; l < 2; l++)
        {
            LayerCodecs layer = allocated.ForLayer(l);
            chosen += costs.Kl(2 * l, Array.IndexOf(Catalog, layer.Keys)) + costs.Kl(2 * l + 1, Array.IndexOf(Catalog, layer.Values));
        }

        Assert.Equal(best, chosen, 12);
    }

    [Fact]
    public void TheSensitiveStreamGetsTheBits()
    {
        KvCacheConfiguration allocated = RateAllocator.Allocate(Costs(), 1.5);
        Assert.Equal(Catalog[2], allocated.ForLayer(0).Values);                            // 3 bits for stream 1, 1 bit for the rest
        Assert.Equal(Catalog[0], allocated.ForLayer(0).Keys);
    }

    [Fact]
    public void BudgetsOutsideTheCatalogOrOffTheGridAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RateAllocator.Allocate(Costs(), 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RateAllocator.Allocate(Costs(), 3.25));
        Assert.Throws<ArgumentOutOfRangeException>(() => RateAllocator.Allocate(Costs(), 1.1));
    }

    [Fact]
    public void MeasuredCostsComeFromTheCalibrationText()
    {
        int[] tokens = PerplexityProtocol.EncodePrefix(TestData.Tokenizer, LlamaDataPaths.Resolve("tinyshakespeare.txt"), 2000);
        ReferenceTrace calibration = ReferenceTrace.Record(TestData.Model, PerplexityProtocol.Windows(tokens, 48, 1));
        var catalog = new[]
        {
            CacheCodec.Codebook(Coding.TurboQuant.Spec(8, 1, KvCacheConfiguration.DefaultSeed, RotationKind.Haar)),
            CacheCodec.Codebook(Coding.TurboQuant.Spec(8, 4, KvCacheConfiguration.DefaultSeed, RotationKind.Haar)),
        };
        StreamCosts costs = RateAllocator.MeasureCosts(TestData.Model, calibration, catalog, EvaluationData.Codecs);
        Assert.Equal(10, costs.Streams);
        for (int s = 0; s < costs.Streams; s++)
        {
            Assert.True(costs.Kl(s, 0) > costs.Kl(s, 1), $"stream {s}: 1 bit {costs.Kl(s, 0)} vs 4 bits {costs.Kl(s, 1)}");
            Assert.True(costs.Kl(s, 1) > 0);
        }

        KvCacheConfiguration allocated = RateAllocator.Allocate(costs, 2.5);
        Assert.Equal(2.5, allocated.CodebookRate(5));
        KvCacheConfiguration viaApi = KvCacheConfiguration.ForBudget(TestData.Model, calibration, 2.5, EvaluationData.Codecs, catalog);
        for (int l = 0; l < 5; l++) Assert.Equal(allocated.ForLayer(l), viaApi.ForLayer(l));
        Assert.Throws<ArgumentOutOfRangeException>(() => KvCacheConfiguration.ForBudget(TestData.Model, calibration, 0.5, EvaluationData.Codecs, catalog));
    }
}
