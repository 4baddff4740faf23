using System;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class SyntheticHeadTests
{
    [Fact]
    public void SameSeedSameBitsOtherSeedOtherData()
    {
        var options = new SyntheticHeadOptions(64, tokens: 128, queries: 8, seed: 5);
        SyntheticHead a = SyntheticHeadGenerator.Generate(options);
        SyntheticHead b = SyntheticHeadGenerator.Generate(options);
        SyntheticHead c = SyntheticHeadGenerator.Generate(new SyntheticHeadOptions(64, tokens: 128, queries: 8, seed: 6));
        Assert.Equal(a.Keys.ToArray(), b.Keys.ToArray());
        Assert.Equal(a.Values.ToArray(), b.Values.ToArray());
        Assert.Equal(a.Queries.ToArray(), b.Queries.ToArray());
        Assert.NotEqual(a.Keys.ToArray(), c.Keys.ToArray());
        Assert.Equal(128 * 64, a.Keys.Length);
        Assert.Equal(128 * 64, a.Values.Length);
        Assert.Equal(8 * 64, a.Queries.Length);
        Assert.Equal(4, a.KeyOutlierChannels.Length);
        Assert.All(a.Keys.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void OutlierChannelsCarryMoreEnergy()
    {
        SyntheticHead head = SyntheticHeadGenerator.Generate(new SyntheticHeadOptions(128, tokens: 2048, queries: 1, outlierScale: 4));
        int d = head.Dimension;
        ReadOnlySpan<float> values = head.Values.Span;
        var energy = new double[d];
        for (int t = 0; t < head.Options.Tokens; t++)
            for (int i = 0; i < d; i++) energy[i] += values[t * d + i] * (double)values[t * d + i];
        double outlier = 0;
        foreach (int c in head.ValueOutlierChannels.Span) outlier += energy[c];
        outlier /= head.ValueOutlierChannels.Length;
        double[] sorted = (double[])energy.Clone();
        Array.Sort(sorted);
        double median = sorted[d / 2];
        Assert.True(outlier > 8 * median, $"outlier channel energy {outlier} vs median {median}");

        // Keys: RoPE mixes channels within a pair, so compare pair energies.
        ReadOnlySpan<float> keys = head.Keys.Span;
        var pairs = new double[d / 2];
        for (int t = 0; t < head.Options.Tokens; t++)
            for (int i = 0; i < d; i++) pairs[i / 2] += keys[t * d + i] * (double)keys[t * d + i];
        double outlierPair = 0;
        foreach (int c in head.KeyOutlierChannels.Span) outlierPair = Math.Max(outlierPair, pairs[c / 2]);
        double[] sortedPairs = (double[])pairs.Clone();
        Array.Sort(sortedPairs);
        Assert.True(outlierPair > 4 * sortedPairs[d / 4], $"outlier pair energy {outlierPair} vs median {sortedPairs[d / 4]}");
    }

    [Fact]
    public void RopeRotatesPairsAndDependsOnlyOnRelativePosition()
    {
        var rng = new Random(3);
        float[] q = new float[16], k = new float[16];
        for (int i = 0; i < 16; i++) { q[i] = (float)(rng.NextDouble() - 0.5); k[i] = (float)(rng.NextDouble() - 0.5); }
        float[] q1 = (float[])q.Clone(), k1 = (float[])k.Clone(), q2 = (float[])q.Clone(), k2 = (float[])k.Clone();
        SyntheticHeadGenerator.ApplyRope(q1, 10);
        SyntheticHeadGenerator.ApplyRope(k1, 3);
        SyntheticHeadGenerator.ApplyRope(q2, 107);
        SyntheticHeadGenerator.ApplyRope(k2, 100);
        Assert.Equal(Dot(q1, k1), Dot(q2, k2), 4);
        for (int i = 0; i < 16; i += 2)
            Assert.Equal(q[i] * q[i] + q[i + 1] * q[i + 1], q1[i] * q1[i] + q1[i + 1] * q1[i + 1], 5);
        float[] zero = (float[])q.Clone();
        SyntheticHeadGenerator.ApplyRope(zero, 0);
        Assert.Equal(q, zero);
        Assert.Throws<ArgumentException>(() => SyntheticHeadGenerator.ApplyRope(new float[3], 1));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticHeadOptions(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticHeadOptions(8, tokens: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticHeadOptions(8, outlierChannels: 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticHeadOptions(8, outlierScale: 0.5));
    }

    [Fact]
    public void SyntheticCosineIsOneForFloat32AndGrowsWithRate()
    {
        SyntheticHead head = SyntheticHeadGenerator.Generate(new SyntheticHeadOptions(64, tokens: 512, queries: 32));
        SyntheticEvaluation fp32 = SyntheticAttentionEvaluator.Evaluate(head, KvCacheConfiguration.Float32.CreateFactory(EvaluationData.Codecs));
        Assert.Equal(1.0, fp32.MeanCosine, 9);
        double previous = 0;
        foreach (int bits in new[] { 1, 2, 3 })
        {
            SyntheticEvaluation e = SyntheticAttentionEvaluator.Evaluate(head, KvCacheConfiguration.TurboQuant(64, bits).CreateFactory(EvaluationData.Codecs));
            Assert.True(e.MeanCosine > previous, $"b={bits}: {e.MeanCosine} after {previous}");
            Assert.True(e.MinCosine <= e.MeanCosine);
            previous = e.MeanCosine;
        }
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * (double)b[i];
        return s;
    }
}
