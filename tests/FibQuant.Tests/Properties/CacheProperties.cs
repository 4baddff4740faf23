using FibQuant.Attention;
using FibQuant.Coding;
using FsCheck.Xunit;
using Xunit;

namespace FibQuant.Tests.Properties;

/// <summary>
/// Random sequences of appends (fp32, fp16 and pre-encoded), truncations and random reads against a model of the
/// cache: count, window start, bytes used, every token's key and value, its encoded form and the compressed-domain scores.
/// </summary>
[Properties(Arbitrary = new[] { typeof(CodecArbitraries) }, MaxTest = 40)]
public sealed class CacheProperties
{
    [Property]
    public void Append_truncate_and_random_access_match_a_model(CodecCase c, byte windowSeed, int[] operations)
    {
        FibQuantizer q = c.Quantizer;
        int d = q.Dimension, window = windowSeed % 3 == 0 ? 0 : windowSeed % 7;
        var cache = new CompressedKvCache<FibQuantizer>(q, q, window);
        var keys = new List<float[]>();
        var values = new List<float[]>();
        int start = 0, step = 0;
        var random = new Random(c.DataSeed);
        foreach (int op in operations.Take(60).Append(0x00FF0F00))
        {
            float[] k = Vector(random, d, c.Scale), v = Vector(random, d, c.Scale);
            switch ((op & 0x7FFFFFFF) % 6)
            {
                case 0 or 1 or 2:
                    // Mostly one token, sometimes a run long enough to cross a 256-token page.
                    int run = (op >> 8 & 0xFF) < 16 ? (op >> 16 & 0x1FF) : 1;
                    for (int r = 0; r < run; r++)
                    {
                        if (r > 0) (k, v) = (Vector(random, d, c.Scale), Vector(random, d, c.Scale));
                        cache.Append(k, v);
                        keys.Add(k);
                        values.Add(v);
                        start = window > 0 ? Math.Max(start, keys.Count - window) : keys.Count;
                    }

                    break;
                case 3:
                    byte[] kc = new byte[q.EncodedSize], vc = new byte[q.EncodedSize];
                    q.Encode(k, kc);
                    q.Encode(v, vc);
                    cache.AppendEncoded(kc, vc);
                    keys.Add(k);
                    values.Add(v);
                    start = keys.Count;
                    break;
                case 4:
                    int count = (op >> 8 & 0xFFFF) % (keys.Count + 1);
                    cache.Truncate(count);
                    keys.RemoveRange(count, keys.Count - count);
                    values.RemoveRange(count, values.Count - count);
                    start = Math.Min(start, count);
                    break;
                default:
                    Assert.Throws<ArgumentOutOfRangeException>(() => cache.Truncate(keys.Count + 1));
                    Assert.Throws<ArgumentOutOfRangeException>(() => cache.DecodeKey(keys.Count, new float[d]));
                    break;
            }

            Assert.Equal(keys.Count, cache.Count);
            Assert.Equal(start, cache.FullPrecisionStart);
            Assert.Equal(ExpectedBytes(cache, keys.Count, start, d), cache.BytesUsed);
            if (keys.Count > 0) CheckToken(cache, q, keys, values, start, random.Next(keys.Count));
            if (++step % 8 == 0 && keys.Count > 0) CheckScores(cache, q, keys, start, random);
        }

        for (int t = 0; t < keys.Count; t++) CheckToken(cache, q, keys, values, start, t);
    }

    private static long ExpectedBytes(CompressedKvCache<FibQuantizer> cache, int count, int start, int d)
    {
        // Nibbles pad the blocks to a multiple of 4; packed codes take log2 N bits each, the stream rounded up to whole bytes.
        int blocks = d / cache.KeyCodec.BlockSize, bits = System.Numerics.BitOperations.Log2((uint)cache.KeyCodec.Codewords);
        long codeBits = cache.KeyLayout == CodeLayout.Nibbles ? (long)count * ((blocks + 3) & ~3) * 4 : (long)count * blocks * bits;
        return 2 * ((long)count * NormHeader.Size(cache.KeyCodec.NormFormat) + (codeBits + 7) / 8) + (long)(count - start) * 2 * d * sizeof(float);
    }

    private static void CheckToken(CompressedKvCache<FibQuantizer> cache, FibQuantizer q, List<float[]> keys, List<float[]> values, int start, int t)
    {
        int d = q.Dimension;
        byte[] expected = new byte[q.EncodedSize], actual = new byte[q.EncodedSize];
        float[] decoded = new float[d], got = new float[d];
        q.Encode(keys[t], expected);
        cache.CopyEncodedKey(t, actual);
        Assert.Equal(expected, actual);
        cache.DecodeKey(t, got);
        if (t >= start) Assert.Equal(keys[t], got);
        else
        {
            q.Decode(expected, decoded);
            Assert.Equal(decoded, got);
        }

        q.Encode(values[t], expected);
        cache.CopyEncodedValue(t, actual);
        Assert.Equal(expected, actual);
        cache.DecodeValue(t, got);
        if (t >= start) Assert.Equal(values[t], got);
        else
        {
            q.Decode(expected, decoded);
            Assert.Equal(decoded, got);
        }
    }

    private static void CheckScores(CompressedKvCache<FibQuantizer> cache, FibQuantizer q, List<float[]> keys, int start, Random random)
    {
        int d = q.Dimension, length = random.Next(1, keys.Count + 1);
        float[] query = Vector(random, d, 1f), scores = new float[length], key = new float[d];
        float scale = 1f / MathF.Sqrt(d);
        cache.KeyScoreKernel = ScoreKernel.ExactTable;
        cache.ComputeScores(query, scale, length, scores);
        double queryNorm = Math.Sqrt(query.Sum(x => (double)x * x));
        for (int t = 0; t < length; t++)
        {
            cache.DecodeKey(t, key);
            double expected = 0, keyNorm = 0;
            for (int i = 0; i < d; i++)
            {
                expected += (double)query[i] * key[i];
                keyNorm += (double)key[i] * key[i];
            }

            double tolerance = 1e-4 * scale * queryNorm * Math.Sqrt(keyNorm) + 1e-30;
            Assert.True(Math.Abs(scores[t] - scale * expected) <= tolerance, $"t={t} (window from {start}): {scores[t]} vs {scale * expected}");
        }
    }

    private static float[] Vector(Random random, int d, float scale)
    {
        var v = new float[d];
        for (int i = 0; i < d; i++) v[i] = scale * (float)(random.NextDouble() * 2 - 1);
        return v;
    }
}
