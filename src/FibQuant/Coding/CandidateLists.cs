using System;

namespace FibQuant.Coding;

/// <summary>
/// The candidate list of each coarse cell of <see cref="HierarchicalSearch"/>: the codewords that are the exact nearest
/// for the training blocks falling in that cell, most frequent first. Built once from a fixed sample; a list truncated to
/// a coverage q holds the fewest top-ranked codewords that are the nearest for a share ≥ q of the cell's blocks, plus
/// every codeword the cell owns (so probing every cell is the exact search), filled up to a whole register of 16.
/// </summary>
internal sealed class CandidateLists
{
    private const int Register = 16;
    private readonly int[] _rankStart; // cell p's ranked winners: _ranked[_rankStart[p] … _rankStart[p+1])
    private readonly int[] _ranked;
    private readonly int[] _rankCount; // how many training blocks of the cell each ranked winner is nearest for
    private readonly int[] _cellBlocks;
    private readonly int[] _ownStart; // cell p's own codewords: _owned[_ownStart[p] … _ownStart[p+1])
    private readonly int[] _owned;
    private readonly int _codewords;

    /// <summary>
    /// Ranks, per cell, the codewords by how many of the cell's training blocks they are nearest to (ties: lower index);
    /// <paramref name="cellOf"/>[b] and <paramref name="nearest"/>[b] are training block b's cell and exact nearest codeword.
    /// </summary>
    public CandidateLists(ReadOnlySpan<int> owner, int cells, ReadOnlySpan<ushort> cellOf, ReadOnlySpan<ushort> nearest)
    {
        _codewords = owner.Length;
        _ownStart = new int[cells + 1];
        foreach (int p in owner) _ownStart[p + 1]++;
        for (int p = 0; p < cells; p++) _ownStart[p + 1] += _ownStart[p];
        _owned = new int[_codewords];
        var fill = (int[])_ownStart.Clone();
        for (int c = 0; c < _codewords; c++) _owned[fill[owner[c]]++] = c;

        // (cell, codeword) pairs sorted once: each cell's winners and their counts are then runs of equal keys.
        var keys = new long[cellOf.Length];
        for (int b = 0; b < keys.Length; b++) keys[b] = ((long)cellOf[b] << 32) | nearest[b];
        Array.Sort(keys);
        _cellBlocks = new int[cells];
        _rankStart = new int[cells + 1];
        var winners = new int[keys.Length];
        var counts = new int[keys.Length];
        int distinct = 0;
        for (int b = 0; b < keys.Length; b++)
        {
            int cell = (int)(keys[b] >> 32);
            _cellBlocks[cell]++;
            if (b > 0 && keys[b] == keys[b - 1])
            {
                counts[distinct - 1]++;
                continue;
            }

            winners[distinct] = (int)(keys[b] & 0xFFFF);
            counts[distinct++] = 1;
            _rankStart[cell + 1]++;
        }

        for (int p = 0; p < cells; p++) _rankStart[p + 1] += _rankStart[p];
        _ranked = winners.AsSpan(0, distinct).ToArray();
        _rankCount = counts.AsSpan(0, distinct).ToArray();
        for (int p = 0; p < cells; p++)
        {
            // Most frequent first, ties to the lower index: a total order, so the lists do not depend on the sort algorithm.
            int from = _rankStart[p], length = _rankStart[p + 1] - from;
            var order = new (int Count, int Codeword)[length];
            for (int r = 0; r < length; r++) order[r] = (-_rankCount[from + r], _ranked[from + r]);
            Array.Sort(order);
            for (int r = 0; r < length; r++) (_rankCount[from + r], _ranked[from + r]) = (-order[r].Count, order[r].Codeword);
        }
    }

    /// <summary>Number of cells.</summary>
    public int Cells => _cellBlocks.Length;

    /// <summary>
    /// The lists at coverage <paramref name="coverage"/> as groups for <see cref="CandidateGroups"/>: cell p's members
    /// (ascending) are <paramref name="members"/>[<paramref name="start"/>[p] … <paramref name="start"/>[p+1]).
    /// </summary>
    public void Truncate(double coverage, out int[] start, out int[] members)
    {
        start = new int[Cells + 1];
        var all = new int[_owned.Length + _ranked.Length]; // a cell takes each of its owned and ranked codewords at most once
        var taken = new bool[_codewords];
        int size = 0;
        for (int p = 0; p < Cells; p++)
        {
            int first = size;
            for (int o = _ownStart[p]; o < _ownStart[p + 1]; o++) Take(_owned[o], taken, all, ref size);
            // The fewest top-ranked winners that cover the share; more of them while the list does not fill its last register.
            long needed = (long)Math.Ceiling(coverage * _cellBlocks[p]);
            long covered = 0;
            int r = _rankStart[p];
            for (; r < _rankStart[p + 1] && covered < needed; r++)
            {
                covered += _rankCount[r];
                Take(_ranked[r], taken, all, ref size);
            }

            for (; r < _rankStart[p + 1] && (size - first) % Register != 0; r++) Take(_ranked[r], taken, all, ref size);
            Array.Sort(all, first, size - first);
            for (int s = first; s < size; s++) taken[all[s]] = false;
            start[p + 1] = size;
        }

        members = all.AsSpan(0, size).ToArray();
    }

    /// <summary>Mean padded list length over the training blocks' cells: the members a one-cell probe scans per block.</summary>
    public double MeanScanned(ReadOnlySpan<int> start)
    {
        double sum = 0;
        long blocks = 0;
        for (int p = 0; p < Cells; p++)
        {
            int width = (start[p + 1] - start[p] + Register - 1) / Register * Register;
            sum += (double)width * _cellBlocks[p];
            blocks += _cellBlocks[p];
        }

        return blocks == 0 ? 0 : sum / blocks;
    }

    private static void Take(int codeword, bool[] taken, int[] all, ref int size)
    {
        if (taken[codeword]) return;
        taken[codeword] = true;
        all[size++] = codeword;
    }
}
