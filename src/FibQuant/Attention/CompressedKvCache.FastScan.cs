using System;

namespace FibQuant.Attention;

public sealed partial class CompressedKvCache<TCodec>
{
    private const string FastScanRequirement = FastScanSupport.Requirement;
    private QuantizedByteScoreTable[] _byteTables = Array.Empty<QuantizedByteScoreTable>();

    private static bool SupportsFastScanOn(PagedCodes keys) => FastScanSupport.Supports(keys);

    /// <summary>Quantises head <paramref name="head"/>'s score table for the fast-scan kernel of the key layout.</summary>
    private void QuantizeForFastScan(int head)
    {
        if (_keys.Storage == CodeLayout.Nibbles)
        {
            _scratch.Quantized(head)!.Quantize(_scratch.Table(head));
            return;
        }

        if (_byteTables.Length <= head)
        {
            var tables = new QuantizedByteScoreTable[head + 1];
            _byteTables.CopyTo(tables, 0);
            for (int h = _byteTables.Length; h <= head; h++) tables[h] = new QuantizedByteScoreTable(_keys.Blocks, _keys.Codewords);
            _byteTables = tables;
        }

        _byteTables[head].Quantize(_scratch.Table(head));
    }

    /// <summary>
    /// Fast-scan scores of the first <paramref name="tokens"/> tokens of key page <paramref name="page"/> for every head,
    /// times the norms and the attention scale (in registers), read from the codes as stored:
    /// target[h·rowStride + t]. Heads go inner, so the page's codes stay in L1 across them.
    /// </summary>
    private void FastScorePage(int page, int tokens, int heads, float scale, Span<float> target, int rowStride)
    {
        ReadOnlySpan<byte> codes = _keys.StoredPageCodes(page);
        // The buffer holds a whole page, so a partial group reads stale finite norms for scores it discards.
        _keys.PageNorms(page, _scratch.Norms.AsSpan(0, tokens));
        if (_keys.Storage == CodeLayout.Nibbles)
        {
            for (int h = 0; h < heads; h++)
            {
                QuantizedScoreTable table = _scratch.Quantized(h)!;
                FastScanKernel.ScorePageTimesNorms(codes, _keys.StoredGroupBytes, tokens, table.Table, _keys.StoredBlocks, scale * table.Bias,
                    scale * table.InverseScale, _scratch.Norms, target.Slice(h * rowStride, tokens));
            }

            return;
        }

        Span<float> group = _scratch.Group;
        int groupBytes = _keys.StoredGroupBytes;
        for (int g = 0; g < tokens; g += PagedCodes.GroupTokens)
        {
            // The kernel may read past the group's bytes into the rest of the page (it pads the page's last group itself).
            ReadOnlySpan<byte> groupCodes = codes.Slice(g / PagedCodes.GroupTokens * groupBytes);
            ReadOnlySpan<float> norms = _scratch.Norms.AsSpan(g, PagedCodes.GroupTokens);
            int n = Math.Min(PagedCodes.GroupTokens, tokens - g);
            for (int h = 0; h < heads; h++)
            {
                Span<float> row = target.Slice(h * rowStride + g, n);
                // A partial last group goes through the 32-entry buffer: writing 32 could reach the next head's row.
                Span<float> raw = n == PagedCodes.GroupTokens ? row : group;
                QuantizedByteScoreTable table = _byteTables[h];
                ByteFastScanKernel.ScoreGroupTimesNorms(groupCodes, table.Table, _keys.Blocks, _keys.Bits, scale * table.Bias,
                    scale * table.InverseScale, norms, raw);
                if (n < PagedCodes.GroupTokens) group.Slice(0, n).CopyTo(row);
            }
        }
    }
}
