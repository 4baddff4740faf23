using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// The paper's two-stage encoder: pick the shell whose radius is nearest ‖y‖, then the nearest codeword among that
/// shell's M_a directions. Full Lloyd–Max refinement moves codewords between the initial shells, so the shells are
/// re-formed from the refined table: codewords sorted by norm, cut into L groups of M_a, each group's radius its mean
/// norm. <see cref="ShellsProbed"/> &gt; 1 also searches the next-nearest shells, trading speed for agreement with the
/// exact search. The probed shells are scanned with the SIMD kernel of <see cref="CandidateGroups"/>; the answer is the
/// nearest codeword among them (ties: lowest index), the same on every vector width.
/// </summary>
public sealed class TwoStageSearch : IBlockSearch
{
    private const int StackLimit = 1024;
    private readonly CandidateGroups _shells;
    private readonly float[] _shellRadii; // ascending: the shells are cut from the norm-sorted codewords
    private readonly int _blockSize;

    /// <summary>Prepares the search; <paramref name="shellsProbed"/> shells nearest in radius are searched (1 = the paper).</summary>
    public TwoStageSearch(Codebook codebook, int shellsProbed = 1)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        if (shellsProbed < 1 || shellsProbed > codebook.Shells)
            throw new ArgumentOutOfRangeException(nameof(shellsProbed), shellsProbed, $"shellsProbed must be in [1, {codebook.Shells}] (L).");
        _blockSize = codebook.Spec.BlockSize;
        int directions = codebook.DirectionsPerShell;
        ShellsProbed = shellsProbed;
        int n = codebook.Spec.Codewords;
        var norms = new double[n];
        var order = new int[n];
        for (int c = 0; c < n; c++)
        {
            double norm2 = 0;
            foreach (float v in codebook.Codeword(c)) norm2 += v * (double)v;
            norms[c] = Math.Sqrt(norm2);
            order[c] = c;
        }

        Array.Sort(order, (a, b) => norms[a] != norms[b] ? norms[a].CompareTo(norms[b]) : a.CompareTo(b));
        _shellRadii = new float[codebook.Shells];
        var groupStart = new int[codebook.Shells + 1];
        for (int row = 0; row < n; row++) _shellRadii[row / directions] += (float)(norms[order[row]] / directions);
        for (int l = 0; l < codebook.Shells; l++)
        {
            groupStart[l + 1] = (l + 1) * directions;
            Array.Sort(order, l * directions, directions); // ascending index inside a shell
        }

        _shells = new CandidateGroups(codebook.Table, _blockSize, groupStart, order);
    }

    /// <summary>The fewest shells probed whose distortion stays within 0.5 % of the exact search (<see cref="SearchCalibration"/>).</summary>
    public static TwoStageSearch Calibrated(Codebook codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        int probes = SearchCalibration.SmallestProbes(codebook, p => new TwoStageSearch(codebook, p), codebook.Shells);
        return new TwoStageSearch(codebook, probes);
    }

    /// <summary>Shells searched per block.</summary>
    public int ShellsProbed { get; }

    /// <inheritdoc />
    [SkipLocalsInit]
    public void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        int k = _blockSize;
        if (blocks.Length != indices.Length * k)
            throw new ArgumentException($"blocks must have indices.Length·k = {indices.Length * k} values, got {blocks.Length}.", nameof(blocks));
        // L is at most N/2 (32768): beyond the stack budget the probe list comes from the pool, not the heap.
        int[]? rented = ShellsProbed > StackLimit ? ArrayPool<int>.Shared.Rent(ShellsProbed) : null;
        Span<int> probe = rented is null ? stackalloc int[ShellsProbed] : rented.AsSpan(0, ShellsProbed);
        ref float start = ref MemoryMarshal.GetReference(blocks);
        for (int i = 0; i < indices.Length; i++)
        {
            ref float y = ref Unsafe.Add(ref start, i * k);
            float norm2 = 0f;
            for (int j = 0; j < k; j++) norm2 += Unsafe.Add(ref y, j) * Unsafe.Add(ref y, j);
            NearestShells(MathF.Sqrt(norm2), probe);
            indices[i] = (ushort)_shells.Nearest(ref y, probe);
        }

        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    // The radii ascend, so the shells nearest ρ form a window around ρ's place: grow it one shell at a time towards the
    // smaller gap, the lower shell on equal gaps (the set a stable sort of the gaps would pick first).
    private void NearestShells(float rho, Span<int> probe)
    {
        ReadOnlySpan<float> radii = _shellRadii;
        int above = 0;
        while (above < radii.Length && radii[above] < rho) above++;
        int below = above - 1;
        for (int p = 0; p < probe.Length; p++)
        {
            bool takeBelow = above >= radii.Length
                || (below >= 0 && MathF.Abs(rho - radii[below]) <= MathF.Abs(rho - radii[above]));
            probe[p] = takeBelow ? below-- : above++;
        }
    }
}
