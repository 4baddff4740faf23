using System;
using FibQuant.Attention;
using FibQuant.Codebooks;
using FibQuant.Coding;
using FibQuant.Design;
using Xunit;

namespace FibQuant.Generators.Tests;

/// <summary>The KV cache is generic over codecs: a generated codebook's <c>Codec</c> struct, used directly, behaves exactly like the runtime one.</summary>
public sealed class GeneratedCacheTests
{
    [Fact]
    public void Compressed_cache_over_a_generated_codec_matches_the_runtime_codec()
    {
        var runtime = new FibQuantizer(CodebookDesigner.Design(new CodebookSpec(64, 2, 16, seed: 7)));
        var generated = new CompressedKvCache<Kv64x2x16.Codec>(new(), new());
        var reference = new CompressedKvCache<FibQuantizer>(runtime, runtime);
        var random = new DesignRandom(21, DesignStream.Evaluation);
        var key = new float[64];
        var value = new float[64];
        for (int t = 0; t < 300; t++)
        {
            for (int j = 0; j < 64; j++)
            {
                key[j] = (float)random.NextGaussian();
                value[j] = (float)random.NextGaussian();
            }

            generated.Append(key, value);
            reference.Append(key, value);
        }

        var query = new float[64];
        for (int j = 0; j < 64; j++) query[j] = (float)random.NextGaussian();
        var a = new float[64];
        var b = new float[64];
        generated.Attend(query, 0.125f, generated.Count, a);
        reference.Attend(query, 0.125f, reference.Count, b);
        Assert.Equal(b, a);
        Assert.Equal(reference.BytesUsed, generated.BytesUsed);
        generated.DecodeKey(123, a);
        reference.DecodeKey(123, b);
        Assert.Equal(b, a);
    }
}
