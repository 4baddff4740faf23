using System;
using FibQuant.Design;

namespace FibQuant.Coding;

/// <summary>
/// The paper's two-stage encoder: pick the shell whose radius is nearest ‖y‖, then the nearest codeword among that
/// shell's M_a directions. Full Lloyd–Max refinement moves codewords between the initial shells, so the shells are
/// re-formed from the refined table: codewords sorted by norm, cut into L groups of M_a, each group's radius its mean
/// norm. <see cref="ShellsProbed"/> &gt; 1 also searches the next-nearest shells, trading speed for agreement with the
/// exact search.
/// </summary>
public sealed class TwoStageSearch : IBlockSearch
{
    private readonly float[] _table;      // shell-major: the codewords of shell ℓ at rows ℓ·M_a …
    private readonly ushort[] _original;  // row → codeword index in the codebook
    private readonly float[] _shellRadii;
    private readonly int _blockSize;
    private readonly int _directions;

    /// <summary>Prepares the search; <paramref name="shellsProbed"/> shells nearest in radius are searched (1 = the paper).</summary>
    public TwoStageSearch(Codebook codebook, int shellsProbed = 1)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        if (shellsProbed < 1 || shellsProbed > codebook.Shells)
            throw new ArgumentOutOfRangeException(nameof(shellsProbed), shellsProbed, $"shellsProbed must be in [1, {codebook.Shells}] (L).");
        _blockSize = codebook.Spec.BlockSize;
        _directions = codebook.DirectionsPerShell;
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
        _table = new float[n * _blockSize];
        _original = new ushort[n];
        _shellRadii = new float[codebook.Shells];
        for (int row = 0; row < n; row++)
        {
            _original[row] = (ushort)order[row];
            codebook.Codeword(order[row]).CopyTo(_table.AsSpan(row * _blockSize, _blockSize));
            _shellRadii[row / _directions] += (float)(norms[order[row]] / _directions);
        }
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
    public void FindAll(ReadOnlySpan<float> blocks, Span<ushort> indices)
    {
        int k = _blockSize;
        if (blocks.Length != indices.Length * k)
            throw new ArgumentException($"blocks must have indices.Length·k = {indices.Length * k} values, got {blocks.Length}.", nameof(blocks));
        Span<int> probe = stackalloc int[ShellsProbed];
        Span<float> gap = stackalloc float[ShellsProbed];
        ReadOnlySpan<float> table = _table;
        for (int i = 0; i < indices.Length; i++)
        {
            ReadOnlySpan<float> y = blocks.Slice(i * k, k);
            float norm2 = 0f;
            for (int j = 0; j < k; j++) norm2 += y[j] * y[j];
            float rho = MathF.Sqrt(norm2);
            NearestShells(rho, probe, gap);

            float best = float.PositiveInfinity;
            int bestIndex = 0;
            foreach (int shell in probe)
            {
                int first = shell * _directions;
                for (int c = first; c < first + _directions; c++)
                {
                    ReadOnlySpan<float> codeword = table.Slice(c * k, k);
                    float acc = 0f;
                    for (int j = 0; j < k; j++)
                    {
                        float diff = y[j] - codeword[j];
                        acc += diff * diff;
                    }

                    int index = _original[c];
                    if (acc < best || (acc == best && index < bestIndex))
                    {
                        best = acc;
                        bestIndex = index;
                    }
                }
            }

            indices[i] = (ushort)bestIndex;
        }
    }

    private void NearestShells(float rho, Span<int> probe, Span<float> gap)
    {
        NearestList.Reset(gap);
        for (int l = 0; l < _shellRadii.Length; l++) NearestList.Offer(gap, probe, MathF.Abs(rho - _shellRadii[l]), l);
    }
}
