using System;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class CacheFidelityTests
{
    [Fact]
    public void Float16TracksFloat32()
    {
        ModelEvaluation fp32 = EvaluationData.Evaluate(KvCacheConfiguration.Float32, 2);
        ModelEvaluation fp16 = EvaluationData.Evaluate(KvCacheConfiguration.Float16, 2);
        Assert.Equal(1.0, fp32.AttentionCosine, 12);
        Assert.Equal(512, fp16.PredictedTokens);
        Assert.Equal(fp32.Perplexity, fp16.Perplexity, 0.01);
        Assert.True(fp16.AttentionCosine > 0.9999, $"fp16 cosine {fp16.AttentionCosine}");
        Assert.Equal(1.0, fp16.CompressionRatio, 12);
        Assert.Equal(0.5, fp32.CompressionRatio, 12);
    }

    [Fact]
    public void TurboQuantFidelityIncreasesWithRate()
    {
        double previousCosine = 0, previousPerplexity = double.PositiveInfinity;
        foreach (int bits in new[] { 1, 2, 3, 4 })
        {
            ModelEvaluation e = EvaluationData.Evaluate(KvCacheConfiguration.TurboQuant(8, bits), 2);
            Assert.True(e.AttentionCosine > previousCosine, $"b={bits}: cosine {e.AttentionCosine} after {previousCosine}");
            Assert.True(e.Perplexity < previousPerplexity, $"b={bits}: perplexity {e.Perplexity} after {previousPerplexity}");
            previousCosine = e.AttentionCosine;
            previousPerplexity = e.Perplexity;
        }
    }

    [Fact]
    public void FibQuantFidelityIncreasesWithRate()
    {
        double previous = 0;
        foreach ((int k, int n) in new[] { (4, 4), (4, 16), (2, 16), (2, 64) })   // 0.5, 1, 2, 3 bits
        {
            ModelEvaluation e = EvaluationData.Evaluate(KvCacheConfiguration.FibQuant(8, k, n), 2);
            Assert.True(e.AttentionCosine > previous, $"k={k} N={n}: cosine {e.AttentionCosine} after {previous}");
            previous = e.AttentionCosine;
        }
    }

    [Fact]
    public void KeysAndValuesMayUseDifferentCodebooks()
    {
        var keys = new CodebookSpec(8, 2, 64, KvCacheConfiguration.DefaultSeed);
        var values = new CodebookSpec(8, 1, 2, KvCacheConfiguration.DefaultSeed);
        KvCacheConfiguration mixed = KvCacheConfiguration.Quantized("keys 3 b, values 1 b", keys, values);
        Assert.Equal("mixed", mixed.Family);
        Assert.Equal(2.0, mixed.CodebookRate(5));
        Assert.Equal(2.0 * 16 * 8 / ((16 + 24) + (16 + 8)), mixed.CompressionRatio(8, 5), 12);
        ModelEvaluation both3 = EvaluationData.Evaluate(KvCacheConfiguration.FibQuant(8, 2, 64), 1);
        ModelEvaluation e = EvaluationData.Evaluate(mixed, 1);
        Assert.True(e.AttentionCosine < both3.AttentionCosine, $"{e.AttentionCosine} vs {both3.AttentionCosine}");
        Assert.True(mixed.CompressionRatio(8, 5) > KvCacheConfiguration.FibQuant(8, 2, 64).CompressionRatio(8, 5));
    }

    [Fact]
    public void TheEvaluationCacheMeasuresWhatTheCompressedCacheComputes()
    {
        // The evaluation stores decode(encode(x)) and attends exactly; CompressedKvCache attends in the compressed domain.
        // With the exact score table the two differ only by fp32 summation order; the default fast scan adds its 8-bit
        // table rounding (bounded per score, tested in the attention tests), which moves perplexity by about 0.1 %.
        KvCacheConfiguration config = KvCacheConfiguration.FibQuant(8, 2, 16);
        FibQuantizer quantizer = EvaluationData.Codecs.Get(config.Keys.Spec!);
        ModelEvaluation reconstructed = ModelEvaluator.Evaluate(TestData.Model, EvaluationData.Windows(1), config.CreateFactory(EvaluationData.Codecs), compareAttention: false);
        ModelEvaluation exact = ModelEvaluator.Evaluate(TestData.Model, EvaluationData.Windows(1),
            (_, _, _) => new CompressedKvCache<FibQuantizer>(quantizer, quantizer) { KeyScoreKernel = ScoreKernel.ExactTable }, compareAttention: false);
        ModelEvaluation fast = ModelEvaluator.Evaluate(TestData.Model, EvaluationData.Windows(1),
            (_, _, _) => new CompressedKvCache<FibQuantizer>(quantizer, quantizer), compareAttention: false);
        Assert.Equal(reconstructed.Perplexity, exact.Perplexity, reconstructed.Perplexity * 1e-5);
        Assert.Equal(reconstructed.Perplexity, fast.Perplexity, reconstructed.Perplexity * 5e-3);
    }
}
