using System;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace FibQuant.Attention;

/// <summary>
/// Value accumulation in the rotated domain: Σ_t w_t c_{idx_{t,i}} per block i, computed as a weighted histogram
/// H_i[n] = Σ_{t: idx_{t,i} = n} w_t (one add per token and block, no codeword is touched per token) followed by
/// out_i = Σ_n H_i[n] c_n (B·N·k multiply-adds per query).
/// </summary>
internal static class ValueHistogram
{
    /// <summary>Adds w_t to H[i·N + idx_{t,i}] for the first <paramref name="tokens"/> tokens of a page.</summary>
    public static void Accumulate(PagedCodes codes, int page, int tokens, ReadOnlySpan<float> weights, Span<float> histogram)
    {
        int blocks = codes.Blocks;
        int n = codes.Codewords;
        int groupBytes = codes.GroupBytes;
        ReadOnlySpan<byte> pageCodes = codes.PageCodes(page);
        for (int start = 0; start < tokens; start += PagedCodes.GroupTokens)
        {
            int count = Math.Min(PagedCodes.GroupTokens, tokens - start);
            ReadOnlySpan<byte> group = pageCodes.Slice(start / PagedCodes.GroupTokens * groupBytes, groupBytes);
            ReadOnlySpan<float> w = weights.Slice(start, count);
            switch (codes.Layout)
            {
                case CodeLayout.Nibbles:
                    Nibbles(group, blocks, w, histogram);
                    break;
                case CodeLayout.Bytes:
                    for (int i = 0; i < blocks; i++)
                    {
                        ReadOnlySpan<byte> c = group.Slice(i * 32, count);
                        Span<float> h = histogram.Slice(i * n, n);
                        for (int j = 0; j < c.Length; j++) h[c[j]] += w[j];
                    }

                    break;
                default:
                    ReadOnlySpan<ushort> wide = MemoryMarshal.Cast<byte, ushort>(group);
                    for (int i = 0; i < blocks; i++)
                    {
                        ReadOnlySpan<ushort> c = wide.Slice(i * 32, count);
                        Span<float> h = histogram.Slice(i * n, n);
                        for (int j = 0; j < c.Length; j++) h[c[j]] += w[j];
                    }

                    break;
            }
        }
    }

    /// <summary>rotated[i·k .. i·k+k) = Σ_n H[i·N + n] · c_n.</summary>
    public static void Reconstruct(ReadOnlySpan<float> histogram, ReadOnlySpan<float> codewords, int blocks, int k, Span<float> rotated)
    {
        int n = codewords.Length / k;
        rotated.Clear();
        for (int i = 0; i < blocks; i++)
        {
            Span<float> block = rotated.Slice(i * k, k);
            ReadOnlySpan<float> h = histogram.Slice(i * n, n);
            for (int c = 0; c < n; c++)
            {
                float weight = h[c];
                if (weight != 0f) TensorPrimitives.MultiplyAdd(codewords.Slice(c * k, k), weight, block, block);
            }
        }
    }

    private static void Nibbles(ReadOnlySpan<byte> group, int blocks, ReadOnlySpan<float> w, Span<float> histogram)
    {
        int low = Math.Min(16, w.Length);
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> c = group.Slice(i * 16, 16);
            Span<float> h = histogram.Slice(i * 16, 16);
            for (int j = 0; j < low; j++) h[c[j] & 0xF] += w[j];
            for (int j = 16; j < w.Length; j++) h[c[j - 16] >> 4] += w[j];
        }
    }
}
