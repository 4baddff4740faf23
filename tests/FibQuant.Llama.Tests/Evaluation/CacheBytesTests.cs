using System;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

/// <summary>
/// The evaluation's "CR (bytes)" is computed from the codecs' encoded bits (<see cref="ReconstructedKvCache.BytesUsed"/>);
/// the real compressed cache built from the same codebooks must hold exactly those bytes, so the column is what a
/// deployment's memory would show for every codebook (byte-coded N ≠ 16 included).
/// </summary>
public sealed class CacheBytesTests
{
    private const int D = 64, T = 300;

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 4)]
    [InlineData(1, 8)]
    [InlineData(2, 16)]
    [InlineData(2, 32)]
    [InlineData(2, 64)]
    [InlineData(4, 256)]
    public void TheCompressedCacheHoldsTheBytesTheEvaluationReports(int k, int n)
    {
        var spec = new CodebookSpec(D, k, n, KvCacheConfiguration.DefaultSeed, RotationKind.Haar, trainingSamples: 8192, restarts: 1);
        KvCacheConfiguration configuration = KvCacheConfiguration.Quantized($"k={k} N={n}", spec, spec);
        var codecs = new CodecLibrary();
        IKeyValueCache evaluated = configuration.CreateFactory(codecs)(0, 0, D);
        FibQuantizer codec = codecs.Get(spec);
        var real = new CompressedKvCache<FibQuantizer>(codec, codec);
        var random = new Random(n);
        var key = new float[D];
        var value = new float[D];
        for (int t = 0; t < T; t++)
        {
            for (int i = 0; i < D; i++)
            {
                key[i] = (float)(random.NextDouble() * 2 - 1);
                value[i] = (float)(random.NextDouble() * 2 - 1);
            }

            evaluated.Append(key, value);
            real.Append(key, value);
        }

        Assert.Equal(evaluated.BytesUsed, real.BytesUsed);
        double format = configuration.CompressionRatio(D, 1, T);
        Assert.Equal(format, (double)real.Float16Bytes / real.BytesUsed, 12);
    }
}
