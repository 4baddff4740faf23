using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// One stream (keys or values) of the compressed cache, structure-of-arrays and paged: per page of
/// <see cref="PageTokens"/> tokens an array of norms ν_t in the codec's <see cref="Coding.NormFormat"/> (fp16 norms
/// take 2 bytes in memory as in the format) and a byte array of codes in a <see cref="CodeLayout"/>.
/// Growth adds a page; nothing already stored is copied. Truncation keeps pages for reuse.
/// </summary>
internal sealed class PagedCodes
{
    /// <summary>Tokens per page (a multiple of <see cref="GroupTokens"/>).</summary>
    public const int PageTokens = 256;

    /// <summary>Tokens per scan group.</summary>
    public const int GroupTokens = 32;

    private readonly List<Half[]> _halfNorms = new();
    private readonly List<float[]> _singleNorms = new();
    private readonly List<byte[]> _codes = new();

    public PagedCodes(int blocks, int codewords, NormFormat normFormat)
    {
        NormFormat = normFormat;
        Blocks = blocks;
        Codewords = codewords;
        Layout = codewords == 16 ? CodeLayout.Nibbles : codewords <= 256 ? CodeLayout.Bytes : CodeLayout.UInt16;
        StoredBlocks = Layout == CodeLayout.Nibbles ? (blocks + 3) & ~3 : blocks;
        GroupBytes = Layout switch
        {
            CodeLayout.Nibbles => StoredBlocks * 16,
            CodeLayout.Bytes => StoredBlocks * GroupTokens,
            _ => StoredBlocks * GroupTokens * 2,
        };
    }

    /// <summary>Blocks per vector, d/k.</summary>
    public int Blocks { get; }

    /// <summary>Blocks as stored (padded to a multiple of 4 for <see cref="CodeLayout.Nibbles"/>).</summary>
    public int StoredBlocks { get; }

    /// <summary>Codebook size N.</summary>
    public int Codewords { get; }

    /// <summary>The code layout.</summary>
    public CodeLayout Layout { get; }

    /// <summary>Bytes of codes per group of 32 tokens.</summary>
    public int GroupBytes { get; }

    /// <summary>Tokens held.</summary>
    public int Count { get; private set; }

    /// <summary>How the norms are held (as the codec's norm header holds them).</summary>
    public NormFormat NormFormat { get; }

    /// <summary>Bytes of payload per token: the norm as the format stores it plus the codes as laid out.</summary>
    public int BytesPerToken => NormHeader.Size(NormFormat) + GroupBytes / GroupTokens;

    /// <summary>Writes the first destination.Length norms of page <paramref name="page"/> as fp32.</summary>
    public void PageNorms(int page, Span<float> destination)
    {
        if (NormFormat == NormFormat.Half) TensorPrimitives.ConvertToSingle(_halfNorms[page].AsSpan(0, destination.Length), destination);
        else _singleNorms[page].AsSpan(0, destination.Length).CopyTo(destination);
    }

    /// <summary>Codes of page <paramref name="page"/>.</summary>
    public byte[] PageCodes(int page) => _codes[page];

    /// <summary>Appends one token.</summary>
    public void Append(float norm, ReadOnlySpan<ushort> indices)
    {
        int page = Count / PageTokens;
        if (page == _codes.Count)
        {
            if (NormFormat == NormFormat.Half) _halfNorms.Add(new Half[PageTokens]);
            else _singleNorms.Add(new float[PageTokens]);
            _codes.Add(new byte[PageTokens / GroupTokens * GroupBytes]);
        }

        int slot = Count % PageTokens;
        // The norm comes from the codec's header, so it is exact in the header's format.
        if (NormFormat == NormFormat.Half) _halfNorms[page][slot] = (Half)norm;
        else _singleNorms[page][slot] = norm;
        Span<byte> group = _codes[page].AsSpan(slot / GroupTokens * GroupBytes, GroupBytes);
        int lane = slot % GroupTokens;
        switch (Layout)
        {
            case CodeLayout.Nibbles:
                int shift = lane < 16 ? 0 : 4;
                int keep = lane < 16 ? 0xF0 : 0x0F;
                for (int i = 0; i < Blocks; i++)
                {
                    ref byte b = ref group[i * 16 + (lane & 15)];
                    b = (byte)((b & keep) | (indices[i] << shift));
                }

                break;
            case CodeLayout.Bytes:
                for (int i = 0; i < Blocks; i++) group[i * GroupTokens + lane] = (byte)indices[i];
                break;
            default:
                Span<ushort> wide = MemoryMarshal.Cast<byte, ushort>(group);
                for (int i = 0; i < Blocks; i++) wide[i * GroupTokens + lane] = indices[i];
                break;
        }

        Count++;
    }

    /// <summary>The norm of token <paramref name="position"/>.</summary>
    public float Norm(int position) => NormFormat == NormFormat.Half
        ? (float)_halfNorms[position / PageTokens][position % PageTokens]
        : _singleNorms[position / PageTokens][position % PageTokens];

    /// <summary>Reads the d/k indices of token <paramref name="position"/>.</summary>
    public void ReadIndices(int position, Span<ushort> indices)
    {
        int slot = position % PageTokens;
        ReadOnlySpan<byte> group = _codes[position / PageTokens].AsSpan(slot / GroupTokens * GroupBytes, GroupBytes);
        int lane = slot % GroupTokens;
        switch (Layout)
        {
            case CodeLayout.Nibbles:
                int shift = lane < 16 ? 0 : 4;
                for (int i = 0; i < Blocks; i++) indices[i] = (ushort)((group[i * 16 + (lane & 15)] >> shift) & 0xF);
                break;
            case CodeLayout.Bytes:
                for (int i = 0; i < Blocks; i++) indices[i] = group[i * GroupTokens + lane];
                break;
            default:
                ReadOnlySpan<ushort> wide = MemoryMarshal.Cast<byte, ushort>(group);
                for (int i = 0; i < Blocks; i++) indices[i] = wide[i * GroupTokens + lane];
                break;
        }
    }

    /// <summary>Keeps the first <paramref name="count"/> tokens; pages stay allocated for reuse.</summary>
    public void Truncate(int count) => Count = count;
}
