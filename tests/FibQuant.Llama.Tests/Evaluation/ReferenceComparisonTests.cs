using System;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class ReferenceComparisonTests
{
    private static readonly Lazy<ReferenceTrace> Trace = new(() => ReferenceTrace.Record(TestData.Model, EvaluationData.Windows(2)));

    [Fact]
    public void AnFp32CacheAgainstItsOwnTraceHasZeroKlAndFullAgreement()
    {
        ConfigurationEvaluation e = ReferenceComparison.Evaluate(TestData.Model, Trace.Value, KvCacheConfiguration.Float32, EvaluationData.Codecs);
        Assert.Equal(512, e.PredictedTokens);
        Assert.Equal(0.0, e.KlMean);
        Assert.Equal(0.0, e.KlP99);
        Assert.Equal(1.0, e.Top1Agreement);
        Assert.Equal(1.0, e.Top10Recall);
        Assert.Equal(1.0, e.AttentionCosine, 12);
        Assert.Equal(Trace.Value.Perplexity, e.Perplexity);
        Assert.All(e.LayerRecall, r => Assert.Equal(1.0, r));
        Assert.Equal(5, e.LayerCosine.Count);
    }

    [Fact]
    public void CoarserCachesDivergeMore()
    {
        ConfigurationEvaluation fp16 = ReferenceComparison.Evaluate(TestData.Model, Trace.Value, KvCacheConfiguration.Float16, EvaluationData.Codecs);
        ConfigurationEvaluation b4 = ReferenceComparison.Evaluate(TestData.Model, Trace.Value, KvCacheConfiguration.TurboQuant(8, 4), EvaluationData.Codecs);
        ConfigurationEvaluation b1 = ReferenceComparison.Evaluate(TestData.Model, Trace.Value, KvCacheConfiguration.TurboQuant(8, 1), EvaluationData.Codecs);
        Assert.InRange(fp16.KlMean, 0, 1e-4);
        Assert.True(fp16.KlMean < b4.KlMean && b4.KlMean < b1.KlMean, $"KL {fp16.KlMean} {b4.KlMean} {b1.KlMean}");
        Assert.True(b4.KlP99 >= b4.KlMean);
        Assert.True(fp16.Top1Agreement > b1.Top1Agreement);
        Assert.True(fp16.Top10Recall > b4.Top10Recall && b4.Top10Recall > b1.Top10Recall, $"recall {fp16.Top10Recall} {b4.Top10Recall} {b1.Top10Recall}");
    }

    [Fact]
    public void KlDivergenceMatchesTheDefinition()
    {
        float[] p = { MathF.Log(0.5f), MathF.Log(0.25f), MathF.Log(0.25f) };
        float[] q = { 0, 0, 0 };                                                             // uniform
        double kl = NextTokenDistribution.KlDivergence(p, q, new float[3], out int argmax);
        double expected = 0.5 * Math.Log(0.5 * 3) + 2 * 0.25 * Math.Log(0.25 * 3);
        Assert.Equal(expected, kl, 6);
        Assert.Equal(0, argmax);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheTraceReproducesTheProtocolPerplexity()
    {
        ReferenceTrace full = ReferenceTrace.Record(TestData.Model, PerplexityProtocol.Windows(EvaluationData.Tokens));
        Assert.Equal(9496, full.Tokens);
        Assert.Equal(PerplexityProtocolTests.Float32Perplexity, full.Perplexity, 1e-6);
    }
}
