using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
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

    /// <summary>Histogram copies a layout accumulates into (summed by <see cref="Reconstruct"/>).</summary>
    public static int Copies(CodeLayout layout) => layout == CodeLayout.Nibbles ? 4 : 1;

    /// <summary>rotated[i·k .. i·k+k) = Σ_n H[i·N + n] · c_n, after folding the histogram copies into the first.</summary>
    public static void Reconstruct(Span<float> histogram, ReadOnlySpan<float> codewords, int blocks, int k, Span<float> rotated)
    {
        int n = codewords.Length / k;
        int stride = blocks * n;
        for (int copy = stride; copy + stride <= histogram.Length; copy += stride)
            TensorPrimitives.Add(histogram.Slice(0, stride), histogram.Slice(copy, stride), histogram.Slice(0, stride));
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
        // Four copies of the histogram (even/odd token × low/high nibble) keep consecutive tokens that share a code
        // from serialising on one memory location; Reconstruct sums the copies.
        int stride = blocks * 16;
        Span<float> h0 = histogram.Slice(0, stride), h1 = histogram.Slice(stride, stride);
        Span<float> h2 = histogram.Slice(2 * stride, stride), h3 = histogram.Slice(3 * stride, stride);
        if (w.Length == PagedCodes.GroupTokens && group.Length >= blocks * 16 && histogram.Length >= 4 * stride)
        {
            // Full group: indices are nibbles (< 16) inside row i·16 of each copy, so every access is in range.
            ref float r0 = ref MemoryMarshal.GetReference(h0), r1 = ref MemoryMarshal.GetReference(h1);
            ref float r2 = ref MemoryMarshal.GetReference(h2), r3 = ref MemoryMarshal.GetReference(h3);
            ref byte codes = ref MemoryMarshal.GetReference(group);
            ref float weights = ref MemoryMarshal.GetReference(w);
            for (int i = 0; i < blocks; i++)
            {
                ref byte c = ref Unsafe.Add(ref codes, i * 16);
                int row = i * 16;
                for (int j = 0; j < 16; j += 2)
                {
                    int a = Unsafe.Add(ref c, j), b = Unsafe.Add(ref c, j + 1);
                    Unsafe.Add(ref r0, row + (a & 0xF)) += Unsafe.Add(ref weights, j);
                    Unsafe.Add(ref r1, row + (b & 0xF)) += Unsafe.Add(ref weights, j + 1);
                    Unsafe.Add(ref r2, row + (a >> 4)) += Unsafe.Add(ref weights, j + 16);
                    Unsafe.Add(ref r3, row + (b >> 4)) += Unsafe.Add(ref weights, j + 17);
                }
            }

            return;
        }

        int low = Math.Min(16, w.Length);
        for (int i = 0; i < blocks; i++)
        {
            ReadOnlySpan<byte> c = group.Slice(i * 16, 16);
            Span<float> h = h0.Slice(i * 16, 16);
            for (int j = 0; j < low; j++) h[c[j] & 0xF] += w[j];
            for (int j = 16; j < w.Length; j++) h[c[j - 16] >> 4] += w[j];
        }
    }
}
