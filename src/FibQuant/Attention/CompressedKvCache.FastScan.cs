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
    /// Fast-scan scores of one group for head <paramref name="head"/>, times the norms and the attention scale
    /// (<paramref name="codes"/>: the group's stored codes, possibly followed by the rest of the page).
    /// </summary>
    private void FastScoreGroup(int head, ReadOnlySpan<byte> codes, float scale, ReadOnlySpan<float> norms, Span<float> scores)
    {
        if (_keys.Storage == CodeLayout.Nibbles)
        {
            QuantizedScoreTable table = _scratch.Quantized(head)!;
            FastScanKernel.ScoreGroupTimesNorms(codes, table.Table, _keys.StoredBlocks, scale * table.Bias, scale * table.InverseScale, norms, scores);
        }
        else
        {
            QuantizedByteScoreTable table = _byteTables[head];
            ByteFastScanKernel.ScoreGroupTimesNorms(codes, table.Table, _keys.Blocks, _keys.Bits, scale * table.Bias, scale * table.InverseScale,
                norms, scores);
        }
    }
}
