using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// One stream (keys or values) of the compressed cache, structure-of-arrays and paged: per page of
/// <see cref="PageTokens"/> tokens an array of norms ν_t in the codec's <see cref="Coding.NormFormat"/> (fp16 norms
/// take 2 bytes in memory as in the format) and a byte array of codes stored as <see cref="Storage"/>:
/// <see cref="CodeLayout.Nibbles"/> for N = 16, else <see cref="CodeLayout.Packed"/> (log2 N bits per code), so the
/// codes take the format's bits. The kernels read a page through <see cref="PageCodes"/> in <see cref="Layout"/>:
/// the stored bytes for nibbles, else the page unpacked to one byte (N ≤ 256) or 16 bits per code into a page-sized
/// buffer, reused until the page changes. Growth adds a page; nothing already stored is copied. Truncation keeps pages
/// for reuse.
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
    private readonly byte[] _unpacked;
    private int _unpackedPage = -1;

    public PagedCodes(int blocks, int codewords, NormFormat normFormat)
    {
        NormFormat = normFormat;
        Blocks = blocks;
        Codewords = codewords;
        Bits = BitOperations.Log2((uint)codewords);
        Storage = codewords == 16 ? CodeLayout.Nibbles : CodeLayout.Packed;
        Layout = codewords == 16 ? CodeLayout.Nibbles : codewords <= 256 ? CodeLayout.Bytes : CodeLayout.UInt16;
        StoredBlocks = Layout == CodeLayout.Nibbles ? (blocks + 3) & ~3 : blocks;
        GroupBytes = Layout switch
        {
            CodeLayout.Nibbles => StoredBlocks * 16,
            CodeLayout.Bytes => StoredBlocks * GroupTokens,
            _ => StoredBlocks * GroupTokens * 2,
        };
        StoredGroupBytes = Storage == CodeLayout.Nibbles ? GroupBytes : blocks * PackedCodeBlocks.BlockBytes(Bits);
        _unpacked = Storage == CodeLayout.Packed ? new byte[PageTokens / GroupTokens * GroupBytes] : Array.Empty<byte>();
    }

    /// <summary>Blocks per vector, d/k.</summary>
    public int Blocks { get; }

    /// <summary>Blocks as the kernels see them (padded to a multiple of 4 for <see cref="CodeLayout.Nibbles"/>).</summary>
    public int StoredBlocks { get; }

    /// <summary>Codebook size N.</summary>
    public int Codewords { get; }

    /// <summary>Bits per code, log2 N.</summary>
    public int Bits { get; }

    /// <summary>How the codes are held in memory: <see cref="CodeLayout.Nibbles"/> or <see cref="CodeLayout.Packed"/>.</summary>
    public CodeLayout Storage { get; }

    /// <summary>The layout <see cref="PageCodes"/> returns: Nibbles, Bytes (N ≤ 256) or UInt16.</summary>
    public CodeLayout Layout { get; }

    /// <summary>Bytes of codes per group of 32 tokens in <see cref="Layout"/>.</summary>
    public int GroupBytes { get; }

    /// <summary>Bytes of codes per group of 32 tokens as stored (4·log2 N per block when packed).</summary>
    public int StoredGroupBytes { get; }

    /// <summary>Tokens held.</summary>
    public int Count { get; private set; }

    /// <summary>How the norms are held (as the codec's norm header holds them).</summary>
    public NormFormat NormFormat { get; }

    /// <summary>
    /// Payload bytes of <paramref name="tokens"/> tokens: the norms as the format stores them plus the codes as stored
    /// (StoredGroupBytes per 32 tokens, so B·log2 N bits per token; rounded up to whole bytes).
    /// </summary>
    public long PayloadBytes(long tokens) => tokens * NormHeader.Size(NormFormat) + (tokens * StoredGroupBytes + GroupTokens - 1) / GroupTokens;

    /// <summary>Writes the first destination.Length norms of page <paramref name="page"/> as fp32.</summary>
    public void PageNorms(int page, Span<float> destination)
    {
        if (NormFormat == NormFormat.Half) TensorPrimitives.ConvertToSingle(_halfNorms[page].AsSpan(0, destination.Length), destination);
        else _singleNorms[page].AsSpan(0, destination.Length).CopyTo(destination);
    }

    /// <summary>
    /// Codes of page <paramref name="page"/> in <see cref="Layout"/>. Packed codes are unpacked into a buffer of this
    /// stream (valid until the next call for another page or the next append or truncation).
    /// </summary>
    public ReadOnlySpan<byte> PageCodes(int page)
    {
        if (Storage == CodeLayout.Nibbles) return _codes[page];
        if (_unpackedPage != page)
        {
            int groups = (Math.Min(PageTokens, Count - page * PageTokens) + GroupTokens - 1) / GroupTokens;
            byte[] stored = _codes[page];
            for (int g = 0; g < groups; g++)
            {
                // The group and the rest of the page: the unpacker reads 64 bytes at a time and copies only at the page's end.
                ReadOnlySpan<byte> group = stored.AsSpan(g * StoredGroupBytes);
                Span<byte> target = _unpacked.AsSpan(g * GroupBytes, GroupBytes);
                if (Layout == CodeLayout.Bytes) PackedCodeBlocks.UnpackBytes(group, Blocks, Bits, target);
                else PackedCodeBlocks.UnpackWide(group, Blocks, Bits, MemoryMarshal.Cast<byte, ushort>(target));
            }

            _unpackedPage = page;
        }

        return _unpacked;
    }

    /// <summary>Codes of page <paramref name="page"/> as stored (<see cref="Storage"/>, <see cref="StoredGroupBytes"/> per group).</summary>
    public ReadOnlySpan<byte> StoredPageCodes(int page) => _codes[page];

    /// <summary>Appends one token.</summary>
    public void Append(float norm, ReadOnlySpan<ushort> indices)
    {
        int page = Count / PageTokens;
        if (page == _codes.Count)
        {
            if (NormFormat == NormFormat.Half) _halfNorms.Add(new Half[PageTokens]);
            else _singleNorms.Add(new float[PageTokens]);
            _codes.Add(new byte[PageTokens / GroupTokens * StoredGroupBytes]);
        }

        if (page == _unpackedPage) _unpackedPage = -1;
        int slot = Count % PageTokens;
        // The norm comes from the codec's header, so it is exact in the header's format.
        if (NormFormat == NormFormat.Half) _halfNorms[page][slot] = (Half)norm;
        else _singleNorms[page][slot] = norm;
        Span<byte> group = _codes[page].AsSpan(slot / GroupTokens * StoredGroupBytes, StoredGroupBytes);
        int lane = slot % GroupTokens;
        if (Storage == CodeLayout.Nibbles)
        {
            int shift = lane < 16 ? 0 : 4;
            int keep = lane < 16 ? 0xF0 : 0x0F;
            for (int i = 0; i < Blocks; i++)
            {
                ref byte b = ref group[i * 16 + (lane & 15)];
                b = (byte)((b & keep) | (indices[i] << shift));
            }
        }
        else
        {
            int blockBytes = PackedCodeBlocks.BlockBytes(Bits);
            for (int i = 0; i < Blocks; i++) PackedCodeBlocks.Write(group.Slice(i * blockBytes, blockBytes), lane, Bits, indices[i]);
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
        ReadOnlySpan<byte> group = _codes[position / PageTokens].AsSpan(slot / GroupTokens * StoredGroupBytes, StoredGroupBytes);
        int lane = slot % GroupTokens;
        if (Storage == CodeLayout.Nibbles)
        {
            int shift = lane < 16 ? 0 : 4;
            for (int i = 0; i < Blocks; i++) indices[i] = (ushort)((group[i * 16 + (lane & 15)] >> shift) & 0xF);
        }
        else
        {
            int blockBytes = PackedCodeBlocks.BlockBytes(Bits);
            for (int i = 0; i < Blocks; i++) indices[i] = (ushort)PackedCodeBlocks.Read(group.Slice(i * blockBytes, blockBytes), lane, Bits);
        }
    }

    /// <summary>Keeps the first <paramref name="count"/> tokens; pages stay allocated for reuse.</summary>
    public void Truncate(int count)
    {
        Count = count;
        _unpackedPage = -1;
    }
}
