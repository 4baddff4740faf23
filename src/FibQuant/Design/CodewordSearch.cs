using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace FibQuant.Design;

/// <summary>
/// Exhaustive nearest-codeword search for Lloyd–Max, <see cref="Vector{T}.Count"/> codewords at a time over a transposed
/// copy of the codebook. Each lane sums its k squared differences in coordinate order, exactly like the scalar loop, so
/// every distance has the same bits at every vector width (and with no hardware vectors at all); ties go to the lowest
/// index and the runner-up is the second smallest distance of the multiset, so the result does not depend on the width.
/// </summary>
internal sealed class CodewordSearch
{
    private static readonly int Width = Vector<double>.Count;

    private readonly int _blockSize;
    private readonly int _codewords;
    private readonly int _stride;
    private readonly double[] _columns;
    private readonly Vector<long> _firstLanes;

    public CodewordSearch(int blockSize, int codewords)
    {
        _blockSize = blockSize;
        _codewords = codewords;
        _stride = (codewords + Width - 1) / Width * Width;
        // Padding codewords sit at +∞: their distance is +∞, which never wins and never becomes the runner-up of a finite one.
        _columns = new double[blockSize * _stride];
        for (int i = 0; i < _columns.Length; i++) _columns[i] = double.PositiveInfinity;
        var lanes = new long[Width];
        for (int w = 0; w < Width; w++) lanes[w] = w;
        _firstLanes = new Vector<long>(lanes);
    }

    /// <summary>Copies <paramref name="codebook"/> (N×k, row-major) into the transposed layout: coordinate j of codeword n at j·stride + n.</summary>
    public void Load(double[] codebook)
    {
        for (int n = 0, c = 0; n < _codewords; n++)
        {
            for (int j = 0; j < _blockSize; j++) _columns[j * _stride + n] = codebook[c++];
        }
    }

    /// <summary>Fills <paramref name="broadcast"/> (caller-owned scratch of length k) with the block at <paramref name="offset"/>.</summary>
    public void Broadcast(double[] samples, int offset, Vector<double>[] broadcast)
    {
        for (int j = 0; j < _blockSize; j++) broadcast[j] = new Vector<double>(samples[offset + j]);
    }

    /// <summary>
    /// Index of the nearest of the codewords [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>)
    /// to the broadcast block, its squared distance and the runner-up squared distance within the range.
    /// <paramref name="first"/> and <paramref name="count"/> are multiples of the vector width, or the range is the whole codebook.
    /// </summary>
    [MethodImpl(JitHints.OptimizeNow)]
    public int Nearest(Vector<double>[] broadcast, int first, int count, out double best, out double second)
    {
        int k = _blockSize;
        var laneBest = new Vector<double>(double.PositiveInfinity);
        Vector<double> laneSecond = laneBest;
        Vector<long> laneIndex = Vector<long>.Zero;
        Vector<long> lanes = _firstLanes + new Vector<long>(first);
        var step = new Vector<long>(Width);
        double[] columns = _columns;
        int end = Math.Min((first + count + Width - 1) / Width * Width, _stride);
        int g = first;
        // Two blocks of codewords per pass: independent sums overlap in the pipeline. Lane state is still updated block by
        // block in index order, so the outcome is the one-block loop's.
        for (; g + 2 * Width <= end; g += 2 * Width)
        {
            Vector<double> dist0 = Vector<double>.Zero, dist1 = Vector<double>.Zero;
            for (int j = 0, column = g; j < k; j++, column += _stride)
            {
                Vector<double> diff0 = broadcast[j] - new Vector<double>(columns, column);
                Vector<double> diff1 = broadcast[j] - new Vector<double>(columns, column + Width);
                dist0 += diff0 * diff0;
                dist1 += diff1 * diff1;
            }

            Track(dist0, lanes, ref laneBest, ref laneSecond, ref laneIndex);
            lanes += step;
            Track(dist1, lanes, ref laneBest, ref laneSecond, ref laneIndex);
            lanes += step;
        }

        for (; g < end; g += Width)
        {
            Vector<double> dist = Vector<double>.Zero;
            for (int j = 0, column = g; j < k; j++, column += _stride)
            {
                Vector<double> diff = broadcast[j] - new Vector<double>(columns, column);
                dist += diff * diff;
            }

            Track(dist, lanes, ref laneBest, ref laneSecond, ref laneIndex);
            lanes += step;
        }

        int winner = 0;
        double winnerBest = laneBest[0];
        long winnerIndex = laneIndex[0];
        for (int w = 1; w < Width; w++)
        {
            double laneValue = laneBest[w];
            long laneAt = laneIndex[w];
            if (laneValue < winnerBest || (laneValue == winnerBest && laneAt < winnerIndex))
            {
                winner = w;
                winnerBest = laneValue;
                winnerIndex = laneAt;
            }
        }

        best = winnerBest;
        second = laneSecond[winner];
        for (int w = 0; w < Width; w++)
        {
            if (w != winner && laneBest[w] < second) second = laneBest[w];
        }

        return (int)winnerIndex;
    }

    /// <summary>Per lane: the smallest distance so far with its index (earlier index on ties) and the runner-up.</summary>
    private static void Track(Vector<double> dist, Vector<long> lanes, ref Vector<double> laneBest, ref Vector<double> laneSecond, ref Vector<long> laneIndex)
    {
        Vector<long> closer = Vector.LessThan(dist, laneBest);
        laneSecond = Vector.ConditionalSelect(closer, laneBest, Vector.Min(laneSecond, dist));
        laneBest = Vector.ConditionalSelect(closer, dist, laneBest);
        laneIndex = Vector.ConditionalSelect(closer, lanes, laneIndex);
    }
}
