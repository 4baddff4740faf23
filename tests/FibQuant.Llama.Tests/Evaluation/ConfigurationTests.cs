using System;
using System.Linq;
using FibQuant.Attention;
using FibQuant.Design;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class ConfigurationTests
{
    [Fact]
    public void NamedConfigurationsDescribeThemselves()
    {
        KvCacheConfiguration fq = KvCacheConfiguration.FibQuant(8, 2, 16, RotationKind.Hadamard);
        Assert.Equal("FibQuant k=2 N=16 Hadamard", fq.Name);
        Assert.Equal("FibQuant", fq.Family);
        Assert.Equal("Hadamard", fq.RotationName);
        Assert.Equal(2.0, fq.BitsPerCoordinate, 12);
        Assert.Equal(4.0, fq.NominalCompressionRatio(8), 12);                     // 2·128 / (2·(16 + 16))
        Assert.Equal(2.0 * 16 * 128 / (2 * (16 + 256.0)), KvCacheConfiguration.FibQuant(128, 2, 16).NominalCompressionRatio(128), 12);

        KvCacheConfiguration tq = KvCacheConfiguration.TurboQuant(8, 3);
        Assert.Equal("TurboQuant", tq.Family);
        Assert.Equal(1, tq.KeySpec!.BlockSize);
        Assert.Equal(8, tq.KeySpec.Codewords);
        Assert.Equal(2.0 * 16 * 8 / (2 * (16 + 24.0)), tq.NominalCompressionRatio(8), 12);

        Assert.Equal(0.5, KvCacheConfiguration.Float32.NominalCompressionRatio(8));
        Assert.Equal(1.0, KvCacheConfiguration.Float16.NominalCompressionRatio(8));
        Assert.Equal("fp16", KvCacheConfiguration.Float16.Family);
    }

    [Fact]
    public void FactoriesBuildFreshCachesOfTheRightKind()
    {
        var codecs = new CodecLibrary();
        Assert.IsType<Float32KeyValueCache>(KvCacheConfiguration.Float32.CreateFactory(codecs)(0, 0, 8));
        Assert.IsType<Float16KeyValueCache>(KvCacheConfiguration.Float16.CreateFactory(codecs)(0, 0, 8));
        var factory = KvCacheConfiguration.TurboQuant(8, 1).CreateFactory(codecs);
        IKeyValueCache a = factory(0, 0, 8), b = factory(0, 1, 8);
        Assert.NotSame(a, b);
        Assert.Equal(1, codecs.Count);                                  // keys and values share one design
        Assert.Throws<ArgumentException>(() => factory(0, 0, 16));
        KvCacheConfiguration.TurboQuant(8, 1).CreateFactory(codecs);
        Assert.Equal(1, codecs.Count);                                  // designed once
        Assert.Throws<ArgumentException>(() => KvCacheConfiguration.Quantized("x", new CodebookSpec(8, 2, 16), new CodebookSpec(16, 2, 16)));
    }

    [Fact]
    public void OtherRotationReusesTheTableAndEqualsAFreshDesign()
    {
        var codecs = new CodecLibrary();
        var haar = new CodebookSpec(16, 2, 8, 3, RotationKind.Haar);
        var hadamard = new CodebookSpec(16, 2, 8, 3, RotationKind.Hadamard);
        codecs.Get(haar);
        var reused = codecs.Get(hadamard);
        Assert.Equal(1, codecs.DesignsRun);
        Assert.Equal(2, codecs.Count);
        Codebook fresh = CodebookDesigner.Design(hadamard);
        Assert.Equal(fresh.Fingerprint, reused.Fingerprint);
        Assert.Equal(fresh.Table.ToArray(), reused.Codebook.Table.ToArray());
        Assert.Equal(fresh.Rotation.ToArray(), reused.Codebook.Rotation.ToArray());
        Assert.NotEqual(codecs.Get(haar).Fingerprint, reused.Fingerprint);
        Assert.Same(reused, codecs.Get(hadamard));
    }

    [Fact]
    public void SweepsKeepValidBlockSizesAndBothRotationsForPowersOfTwo()
    {
        var model = EvaluationSweep.Configurations(8, quick: false);
        Assert.Equal("fp32", model[0].Name);
        Assert.Equal("fp16", model[1].Name);
        Assert.All(model.Where(c => c.KeySpec is not null), c => Assert.True(c.KeySpec!.BlockSize < 8));
        Assert.Contains(model, c => c.Name == "FibQuant k=4 N=4 Haar");
        Assert.Contains(model, c => c.Name == "FibQuant k=2 N=64 Hadamard");
        Assert.Contains(model, c => c.Name == "TurboQuant b=4 Hadamard");
        Assert.DoesNotContain(model, c => c.KeySpec?.BlockSize == 8);
        Assert.Equal(2 + 2 * (4 + 7), model.Count);

        var synthetic = EvaluationSweep.Configurations(64, quick: false, includeFloat32: false);
        Assert.Contains(synthetic, c => c.Name == "FibQuant k=8 N=16 Haar");
        Assert.Equal(1 + 2 * (4 + 10), synthetic.Count);
        Assert.Single(EvaluationSweep.Rotations(24, quick: false));
        Assert.Equal(model.Select(c => c.Name), EvaluationSweep.Configurations(8, quick: false).Select(c => c.Name));
    }

    [Fact]
    public void CosineHandlesScaleSignAndZeros()
    {
        Assert.Equal(1.0, VectorSimilarity.Cosine(new float[] { 1, 2, 3 }, new float[] { 2, 4, 6 }), 12);
        Assert.Equal(-1.0, VectorSimilarity.Cosine(new float[] { 1, 2, 3 }, new float[] { -1, -2, -3 }), 12);
        Assert.Equal(0.0, VectorSimilarity.Cosine(new float[] { 1, 0 }, new float[] { 0, 5 }), 12);
        Assert.Equal(1.0, VectorSimilarity.Cosine(new float[2], new float[2]));
        Assert.Equal(0.0, VectorSimilarity.Cosine(new float[] { 1, 0 }, new float[2]));
        Assert.Throws<ArgumentException>(() => VectorSimilarity.Cosine(new float[2], new float[3]));
    }

    [Fact]
    public void CosineObserverAveragesPerHeadAgainstTheRecorder()
    {
        var recorder = new AttentionRecorder(1, 2, 2);
        var observer = new AttentionCosineObserver(recorder, 1, 2);
        recorder.OnAttentionOutput(0, 0, 0, new float[] { 1, 0 });
        recorder.OnAttentionOutput(0, 1, 0, new float[] { 0, 1 });
        observer.OnAttentionOutput(0, 0, 0, new float[] { 3, 0 });    // cosine 1
        observer.OnAttentionOutput(0, 1, 0, new float[] { 1, 0 });    // cosine 0
        recorder.OnAttentionOutput(0, 1, 1, new float[] { 1, 1 });
        observer.OnAttentionOutput(0, 1, 1, new float[] { 1, 1 });    // cosine 1
        Assert.Equal(1.0, observer.MeanCosine(0, 0), 12);
        Assert.Equal(0.5, observer.MeanCosine(0, 1), 12);
        Assert.Equal(0.75, observer.MeanOverHeads(), 12);
        Assert.Equal(0.5, observer.WorstHead(), 12);
    }
}
