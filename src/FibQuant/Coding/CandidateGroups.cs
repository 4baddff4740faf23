using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Simd;

namespace FibQuant.Coding;

/// <summary>
/// The codewords of an approximate search cut into groups (shells, or the children of a parent centroid), each group
/// stored transposed (k rows of its members) so one register scores 16, 8 or 4 members of a group at once. A search
/// scans only the groups it probes and returns the minimum of (squared distance, codeword index) over their members:
/// every lane keeps its own minimum under that order and the lanes are reduced under it, so the answer does not depend
/// on the vector width or the order in which the groups are probed.
/// </summary>
internal sealed class CandidateGroups
{
    /// <summary>
    /// Every group is padded to a multiple of the widest register (16 floats), so each width scans whole registers and
    /// the layout is the same on every machine. Padding members sit at +∞ with an index above every codeword: their
    /// distance is +∞ and never wins against a real member.
    /// </summary>
    private const int Padding = 16;

    private const float PaddingIndex = float.MaxValue;

    private readonly float[] _columns; // group g: k rows of _width[g] members from _offset[g]: [offset + j·width + s]
    private readonly float[] _indices; // group g: the codeword index of its member s at _first[g] + s, as a float
    private readonly int[] _offset;
    private readonly int[] _first;
    private readonly int[] _width;
    private readonly int _blockSize;

    /// <summary>
    /// Lays out <paramref name="table"/> (N×k, row-major) by group: group g holds the codewords
    /// <paramref name="members"/>[<paramref name="groupStart"/>[g] … <paramref name="groupStart"/>[g+1]).
    /// </summary>
    public CandidateGroups(ReadOnlySpan<float> table, int blockSize, ReadOnlySpan<int> groupStart, ReadOnlySpan<int> members)
    {
        int groups = groupStart.Length - 1;
        _blockSize = blockSize;
        _offset = new int[groups];
        _first = new int[groups];
        _width = new int[groups];
        int slots = 0;
        for (int g = 0; g < groups; g++)
        {
            _first[g] = slots;
            _offset[g] = slots * blockSize;
            _width[g] = (groupStart[g + 1] - groupStart[g] + Padding - 1) / Padding * Padding;
            slots += _width[g];
        }

        _columns = new float[slots * blockSize];
        _indices = new float[slots];
        _columns.AsSpan().Fill(float.PositiveInfinity);
        _indices.AsSpan().Fill(PaddingIndex);
        for (int g = 0; g < groups; g++)
        {
            for (int s = 0; s < groupStart[g + 1] - groupStart[g]; s++)
            {
                int codeword = members[groupStart[g] + s];
                _indices[_first[g] + s] = codeword;
                for (int j = 0; j < blockSize; j++) _columns[_offset[g] + j * _width[g] + s] = table[codeword * blockSize + j];
            }
        }
    }

    /// <summary>Number of groups.</summary>
    public int Count => _width.Length;

    /// <summary>Members scanned when group <paramref name="group"/> is probed (its size rounded up to 16).</summary>
    public int Width(int group) => _width[group];

    /// <summary>The codeword nearest to the block at <paramref name="y"/> among the members of <paramref name="groups"/>.</summary>
    public int Nearest(ref float y, ReadOnlySpan<int> groups)
    {
        if (Lanes512.IsAccelerated) return Nearest<Lanes512>(ref y, groups);
        if (Lanes256.IsAccelerated) return Nearest<Lanes256>(ref y, groups);
        if (Lanes128.IsAccelerated) return Nearest<Lanes128>(ref y, groups);
        return Nearest<ScalarLanes>(ref y, groups);
    }

    /// <summary>Squared distances from the block at <paramref name="y"/> to every member slot of <paramref name="group"/> (padding: +∞).</summary>
    public void Distances(ref float y, int group, Span<float> distances)
    {
        if (distances.Length != _width[group])
            throw new ArgumentException($"distances must have length {_width[group]} (the group's padded width), got {distances.Length}.", nameof(distances));
        if (Lanes512.IsAccelerated) Distances<Lanes512>(ref y, group, distances);
        else if (Lanes256.IsAccelerated) Distances<Lanes256>(ref y, group, distances);
        else if (Lanes128.IsAccelerated) Distances<Lanes128>(ref y, group, distances);
        else Distances<ScalarLanes>(ref y, group, distances);
    }

    internal int Nearest<TLanes>(ref float y, ReadOnlySpan<int> groups) where TLanes : struct, IFloatLanes<TLanes>
    {
        int k = _blockSize;
        ref float columns = ref MemoryMarshal.GetArrayDataReference(_columns);
        ref float indices = ref MemoryMarshal.GetArrayDataReference(_indices);
        TLanes best = TLanes.Broadcast(float.PositiveInfinity);
        TLanes bestIndex = TLanes.Broadcast(PaddingIndex);
        foreach (int g in groups)
        {
            int width = _width[g];
            ref float group = ref Unsafe.Add(ref columns, _offset[g]);
            ref float groupIndices = ref Unsafe.Add(ref indices, _first[g]);
            for (int s = 0; s < width; s += TLanes.Count)
            {
                // Σ_j (y_j − c_j)² in the order j = 0…k−1 with separate multiply and add: the scalar loop's bits.
                TLanes acc = TLanes.Broadcast(0f);
                for (int j = 0; j < k; j++)
                {
                    TLanes diff = TLanes.Broadcast(Unsafe.Add(ref y, j)) - TLanes.Load(ref group, (nuint)(j * width + s));
                    acc += diff * diff;
                }

                TLanes index = TLanes.Load(ref groupIndices, (nuint)s);
                // (acc, index) < (best, bestIndex) lexicographically: acc < best, or neither is less and index < bestIndex.
                TLanes less = TLanes.LessThan(acc, best);
                TLanes take = TLanes.Select(less, less, TLanes.Select(TLanes.LessThan(best, acc), less, TLanes.LessThan(index, bestIndex)));
                best = TLanes.Select(take, acc, best);
                bestIndex = TLanes.Select(take, index, bestIndex);
            }
        }

        return LaneArgMin.Reduce(best, bestIndex);
    }

    internal void Distances<TLanes>(ref float y, int group, Span<float> distances) where TLanes : struct, IFloatLanes<TLanes>
    {
        int width = _width[group];
        ref float columns = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_columns), _offset[group]);
        ref float output = ref MemoryMarshal.GetReference(distances);
        for (int s = 0; s < width; s += TLanes.Count)
        {
            TLanes acc = TLanes.Broadcast(0f);
            for (int j = 0; j < _blockSize; j++)
            {
                TLanes diff = TLanes.Broadcast(Unsafe.Add(ref y, j)) - TLanes.Load(ref columns, (nuint)(j * width + s));
                acc += diff * diff;
            }

            TLanes.Store(acc, ref output, (nuint)s);
        }
    }
}
