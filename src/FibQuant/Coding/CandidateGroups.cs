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
    private readonly float[] _halfNorms; // ½‖c‖² of member s at _first[g] + s (padding: +∞)
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
        _halfNorms = new float[slots];
        _columns.AsSpan().Fill(float.PositiveInfinity);
        _indices.AsSpan().Fill(PaddingIndex);
        _halfNorms.AsSpan().Fill(float.PositiveInfinity);
        for (int g = 0; g < groups; g++)
        {
            for (int s = 0; s < groupStart[g + 1] - groupStart[g]; s++)
            {
                int codeword = members[groupStart[g] + s];
                _indices[_first[g] + s] = codeword;
                float norm2 = 0f;
                for (int j = 0; j < blockSize; j++) norm2 += table[codeword * blockSize + j] * table[codeword * blockSize + j];
                _halfNorms[_first[g] + s] = 0.5f * norm2;
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

    /// <summary>
    /// The member of the one group <paramref name="group"/> nearest to the block at <paramref name="y"/> by the score
    /// ½‖c‖² − ⟨y, c⟩ (the squared distance less ½‖y‖², halved): two operations per coordinate instead of three, at the
    /// price of rounding that may order near-ties differently from <see cref="Nearest(ref float, ReadOnlySpan{int})"/>.
    /// Ties go to the lowest index; the answer is the same on every vector width.
    /// </summary>
    public int NearestByScore(ref float y, int group)
    {
        if (Lanes512.IsAccelerated) return NearestByScore<Lanes512>(ref y, group);
        if (Lanes256.IsAccelerated) return NearestByScore<Lanes256>(ref y, group);
        if (Lanes128.IsAccelerated) return NearestByScore<Lanes128>(ref y, group);
        return NearestByScore<ScalarLanes>(ref y, group);
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

    // A group's members ascend by index in every lane (slots s, s + Count, …), so a strict-less scan keeps the lowest index
    // among equal scores per lane. Two running minima (even and odd registers) halve the dependency chain; they are merged
    // under (score, index) because their indices interleave. Score: ½‖c‖² − Σ_j y_j·c_j, j = 0…k−1, multiply then
    // subtract, so every lane computes the scalar sequence. Padding (+∞ columns and half norm) scores +∞ or NaN and never wins.
    internal int NearestByScore<TLanes>(ref float y, int group) where TLanes : struct, IFloatLanes<TLanes>
    {
        if (_blockSize == 8) return NearestByScore8<TLanes>(ref y, group);
        int k = _blockSize, width = _width[group];
        ref float columns = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_columns), _offset[group]);
        ref float indices = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_indices), _first[group]);
        ref float halfNorms = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_halfNorms), _first[group]);
        TLanes best0 = TLanes.Broadcast(float.PositiveInfinity), best1 = best0;
        TLanes index0 = TLanes.Broadcast(PaddingIndex), index1 = index0;
        int s = 0;
        for (; s + 2 * TLanes.Count <= width; s += 2 * TLanes.Count)
        {
            // Written out here rather than in a helper: the JIT does not inline a shared helper into this loop.
            TLanes acc0 = TLanes.Load(ref halfNorms, (nuint)s), acc1 = TLanes.Load(ref halfNorms, (nuint)(s + TLanes.Count));
            for (int j = 0; j < k; j++)
            {
                TLanes yj = TLanes.Broadcast(Unsafe.Add(ref y, j));
                ref float row = ref Unsafe.Add(ref columns, j * width + s);
                acc0 -= yj * TLanes.Load(ref row, 0);
                acc1 -= yj * TLanes.Load(ref row, (nuint)TLanes.Count);
            }

            TLanes less0 = TLanes.LessThan(acc0, best0), less1 = TLanes.LessThan(acc1, best1);
            best0 = TLanes.Select(less0, acc0, best0);
            index0 = TLanes.Select(less0, TLanes.Load(ref indices, (nuint)s), index0);
            best1 = TLanes.Select(less1, acc1, best1);
            index1 = TLanes.Select(less1, TLanes.Load(ref indices, (nuint)(s + TLanes.Count)), index1);
        }

        if (s < width)
        {
            TLanes acc = TLanes.Load(ref halfNorms, (nuint)s);
            for (int j = 0; j < k; j++) acc -= TLanes.Broadcast(Unsafe.Add(ref y, j)) * TLanes.Load(ref columns, (nuint)(j * width + s));
            TLanes less = TLanes.LessThan(acc, best0);
            best0 = TLanes.Select(less, acc, best0);
            index0 = TLanes.Select(less, TLanes.Load(ref indices, (nuint)s), index0);
        }

        TLanes lower = TLanes.LessThan(best1, best0);
        TLanes take = TLanes.Select(lower, lower, TLanes.Select(TLanes.LessThan(best0, best1), lower, TLanes.LessThan(index1, index0)));
        return LaneArgMin.Reduce(TLanes.Select(take, best1, best0), TLanes.Select(take, index1, index0));
    }

    // NearestByScore for k = 8 with the eight broadcasts of y held in registers across the scan and the coordinate loop
    // written out: the same operations in the same order (the same bits). k = 8 is the block length the hierarchical
    // default is used for; at N = 1024 the whole search ran 1.08–1.4× faster than with the loop over k (best of 60
    // Stopwatch rounds each, two alternating runs per variant, shared machine).
    private int NearestByScore8<TLanes>(ref float y, int group) where TLanes : struct, IFloatLanes<TLanes>
    {
        int width = _width[group];
        ref float columns = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_columns), _offset[group]);
        ref float indices = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_indices), _first[group]);
        ref float halfNorms = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_halfNorms), _first[group]);
        TLanes y0 = TLanes.Broadcast(y), y1 = TLanes.Broadcast(Unsafe.Add(ref y, 1)), y2 = TLanes.Broadcast(Unsafe.Add(ref y, 2));
        TLanes y3 = TLanes.Broadcast(Unsafe.Add(ref y, 3)), y4 = TLanes.Broadcast(Unsafe.Add(ref y, 4)), y5 = TLanes.Broadcast(Unsafe.Add(ref y, 5));
        TLanes y6 = TLanes.Broadcast(Unsafe.Add(ref y, 6)), y7 = TLanes.Broadcast(Unsafe.Add(ref y, 7));
        nuint w = (nuint)width, c = (nuint)TLanes.Count;
        TLanes best0 = TLanes.Broadcast(float.PositiveInfinity), best1 = best0;
        TLanes index0 = TLanes.Broadcast(PaddingIndex), index1 = index0;
        int s = 0;
        for (; s + 2 * TLanes.Count <= width; s += 2 * TLanes.Count)
        {
            ref float at = ref Unsafe.Add(ref columns, s);
            TLanes acc0 = TLanes.Load(ref halfNorms, (nuint)s), acc1 = TLanes.Load(ref halfNorms, (nuint)s + c);
            acc0 -= y0 * TLanes.Load(ref at, 0);
            acc1 -= y0 * TLanes.Load(ref at, c);
            acc0 -= y1 * TLanes.Load(ref at, w);
            acc1 -= y1 * TLanes.Load(ref at, w + c);
            acc0 -= y2 * TLanes.Load(ref at, 2 * w);
            acc1 -= y2 * TLanes.Load(ref at, 2 * w + c);
            acc0 -= y3 * TLanes.Load(ref at, 3 * w);
            acc1 -= y3 * TLanes.Load(ref at, 3 * w + c);
            acc0 -= y4 * TLanes.Load(ref at, 4 * w);
            acc1 -= y4 * TLanes.Load(ref at, 4 * w + c);
            acc0 -= y5 * TLanes.Load(ref at, 5 * w);
            acc1 -= y5 * TLanes.Load(ref at, 5 * w + c);
            acc0 -= y6 * TLanes.Load(ref at, 6 * w);
            acc1 -= y6 * TLanes.Load(ref at, 6 * w + c);
            acc0 -= y7 * TLanes.Load(ref at, 7 * w);
            acc1 -= y7 * TLanes.Load(ref at, 7 * w + c);
            TLanes less0 = TLanes.LessThan(acc0, best0), less1 = TLanes.LessThan(acc1, best1);
            best0 = TLanes.Select(less0, acc0, best0);
            index0 = TLanes.Select(less0, TLanes.Load(ref indices, (nuint)s), index0);
            best1 = TLanes.Select(less1, acc1, best1);
            index1 = TLanes.Select(less1, TLanes.Load(ref indices, (nuint)s + c), index1);
        }

        if (s < width)
        {
            ref float at = ref Unsafe.Add(ref columns, s);
            TLanes acc = TLanes.Load(ref halfNorms, (nuint)s);
            acc -= y0 * TLanes.Load(ref at, 0);
            acc -= y1 * TLanes.Load(ref at, w);
            acc -= y2 * TLanes.Load(ref at, 2 * w);
            acc -= y3 * TLanes.Load(ref at, 3 * w);
            acc -= y4 * TLanes.Load(ref at, 4 * w);
            acc -= y5 * TLanes.Load(ref at, 5 * w);
            acc -= y6 * TLanes.Load(ref at, 6 * w);
            acc -= y7 * TLanes.Load(ref at, 7 * w);
            TLanes less = TLanes.LessThan(acc, best0);
            best0 = TLanes.Select(less, acc, best0);
            index0 = TLanes.Select(less, TLanes.Load(ref indices, (nuint)s), index0);
        }

        TLanes lower = TLanes.LessThan(best1, best0);
        TLanes take = TLanes.Select(lower, lower, TLanes.Select(TLanes.LessThan(best0, best1), lower, TLanes.LessThan(index1, index0)));
        return LaneArgMin.Reduce(TLanes.Select(take, best1, best0), TLanes.Select(take, index1, index0));
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
