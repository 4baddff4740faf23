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
        Assert.Equal(2.0, fq.CodebookRate(5));
        Assert.Equal(4.0, fq.StoredBitsPerCoordinate(8, 5), 12);                  // (16 + 4·4) / 8
        Assert.Equal(4.0, fq.CompressionRatio(8, 5), 12);
        Assert.Equal(2.0 * 16 * 128 / (2 * (16 + 256.0)), KvCacheConfiguration.FibQuant(128, 2, 16).CompressionRatio(128, 1), 12);

        KvCacheConfiguration tq = KvCacheConfiguration.TurboQuant(8, 3);
        Assert.Equal("TurboQuant", tq.Family);
        Assert.Equal(1, tq.Keys.Spec!.BlockSize);
        Assert.Equal(8, tq.Keys.Spec.Codewords);
        Assert.Equal(2.0 * 16 * 8 / (2 * (16 + 24.0)), tq.CompressionRatio(8, 5), 12);

        Assert.Equal(0.5, KvCacheConfiguration.Float32.CompressionRatio(8, 5));
        Assert.Equal(1.0, KvCacheConfiguration.Float16.CompressionRatio(8, 5));
        Assert.Equal("fp16", KvCacheConfiguration.Float16.Family);
        Assert.Null(KvCacheConfiguration.Float16.CodebookRate(5));

        KvCacheConfiguration q4 = KvCacheConfiguration.Uniform(CacheCodec.Q4_0(hadamard: true));
        Assert.Equal(("q4_0+H", "q4_0", "Hadamard"), (q4.Name, q4.Family, q4.RotationName));
        Assert.Equal(4.5, q4.StoredBitsPerCoordinate(64, 5), 12);
        Assert.Equal(8.5, KvCacheConfiguration.Uniform(CacheCodec.Q8_0()).StoredBitsPerCoordinate(64, 5), 12);
        Assert.False(q4.Supports(8, 5));                                         // blocks of 32
        Assert.Throws<ArgumentOutOfRangeException>(() => CacheCodec.Q4_0().EncodedBits(48));
        Assert.Throws<ArgumentOutOfRangeException>(() => CacheCodec.Q4_0(hadamard: true).CreateRoundTrip(96, new CodecLibrary()));

        // Full-precision tokens are counted as fp16 over the 256-token window: 36 of 256 tokens at 16 bits, the rest at 4.
        KvCacheConfiguration deployed = fq.WithFullPrecisionTokens(4, 32);
        Assert.Equal("FibQuant k=2 N=16 Hadamard +4 sinks +window 32", deployed.Name);
        Assert.Equal("FibQuant +fp", deployed.Family);
        Assert.Equal(16.0 * 256 / (36 * 16.0 + 220 * 4.0), deployed.CompressionRatio(8, 5), 12);
    }

    [Fact]
    public void PerLayerCodecsOverrideTheDefaults()
    {
        var layers = new[]
        {
            new LayerCodecs(CacheCodec.Float16, CacheCodec.Q8_0()),
            new LayerCodecs(CacheCodec.Codebook(new CodebookSpec(64, 2, 16)), CacheCodec.Codebook(new CodebookSpec(64, 4, 16))),
        };
        var config = new KvCacheConfiguration("per layer", CacheCodec.Float32, CacheCodec.Float32, layers);
        Assert.Equal(layers[1], config.ForLayer(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => config.ForLayer(2));
        Assert.True(config.Supports(64, 2));
        Assert.False(config.Supports(64, 3));
        Assert.Equal("mixed", config.Family);
        Assert.Null(config.CodebookRate(2));
        Assert.Equal((16 * 64 + 8.5 * 64 + (16 + 32 * 4) + (16 + 16 * 4)) / (4 * 64.0), config.StoredBitsPerCoordinate(64, 2), 12);
    }

    [Fact]
    public void FactoriesBuildFreshCachesWithTheLayersCodecs()
    {
        var codecs = new CodecLibrary();
        var created = new System.Collections.Generic.List<(int, int)>();
        var factory = KvCacheConfiguration.TurboQuant(8, 1).CreateFactory(codecs, (l, h, _) => created.Add((l, h)));
        IKeyValueCache a = factory(0, 0, 8), b = factory(0, 1, 8);
        Assert.NotSame(a, b);
        Assert.IsType<ReconstructedKvCache>(a);
        Assert.Equal(new[] { (0, 0), (0, 1) }, created);
        Assert.Equal(1, codecs.Count);                                  // keys and values share one design
        Assert.Throws<ArgumentOutOfRangeException>(() => factory(0, 0, 16));
        KvCacheConfiguration.TurboQuant(8, 1).CreateFactory(codecs)(1, 0, 8);
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
        Assert.All(model.Where(c => c.Keys.Spec is not null), c => Assert.True(c.Keys.Spec!.BlockSize < 8));
        Assert.Contains(model, c => c.Name == "FibQuant k=4 N=4 Haar");
        Assert.Contains(model, c => c.Name == "FibQuant k=2 N=64 Hadamard");
        Assert.Contains(model, c => c.Name == "FibQuant k=2 N=256 Haar");
        Assert.Contains(model, c => c.Name == "TurboQuant b=4 Hadamard");
        Assert.DoesNotContain(model, c => c.Keys.Spec?.BlockSize == 8);
        Assert.DoesNotContain(model, c => c.Family.StartsWith('q'));      // q8_0 / q4_0 need 32 | d
        Assert.Equal(2 + 2 * (4 + 8) + 5, model.Count);

        var synthetic = EvaluationSweep.Configurations(64, quick: false, includeFloat32: false);
        Assert.Contains(synthetic, c => c.Name == "FibQuant k=8 N=16 Haar");
        Assert.Contains(synthetic, c => c.Name == "q4_0+H");
        Assert.Equal(1 + 2 * (4 + 11) + 4 + 5, synthetic.Count);
        Assert.Single(EvaluationSweep.Rotations(24, quick: false));
        Assert.Equal(model.Select(c => c.Name), EvaluationSweep.Configurations(8, quick: false).Select(c => c.Name));
        Assert.Equal("FibQuant k=2 N=8 Hadamard", EvaluationSweep.UniformAt(64, 1.5)!.Name);
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
