using System;

namespace FibQuant.Design;

/// <summary>
/// A designed codebook: N codewords of length k (float32, row-major, shell-major order ℓ·M_a + m), its shell layout,
/// the rotation data and the fingerprint that binds encoded data to exactly these bits.
/// </summary>
public sealed class Codebook
{
    private readonly float[] _table;
    private readonly float[] _rotation;
    private readonly float[] _radii;

    /// <summary>
    /// Wraps precomputed data (for example a spec file's table). Throws <see cref="ArgumentException"/> when the lengths
    /// do not fit the spec or when <paramref name="expectedFingerprint"/> is given and does not match the data.
    /// </summary>
    public Codebook(CodebookSpec spec, int shells, int directionsPerShell, float[] radii, float[] table, float[] rotation,
        double trainingDistortion, ulong? expectedFingerprint = null)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        if (table is null) throw new ArgumentNullException(nameof(table));
        if (rotation is null) throw new ArgumentNullException(nameof(rotation));
        if (radii is null) throw new ArgumentNullException(nameof(radii));
        if (shells < 1 || directionsPerShell < 1 || (long)shells * directionsPerShell != spec.Codewords)
            throw new ArgumentOutOfRangeException(nameof(shells), $"shells × directionsPerShell must equal N = {spec.Codewords}, got {shells} × {directionsPerShell}.");
        if (radii.Length != shells)
            throw new ArgumentException($"radii must have {shells} entries, got {radii.Length}.", nameof(radii));
        if (table.Length != spec.Codewords * spec.BlockSize)
            throw new ArgumentException($"table must have N·k = {spec.Codewords * spec.BlockSize} entries, got {table.Length}.", nameof(table));
        int rotationLength = RotationLength(spec);
        if (rotation.Length != rotationLength)
            throw new ArgumentException($"rotation must have {rotationLength} entries for {spec.Rotation}, got {rotation.Length}.", nameof(rotation));
        foreach (float value in table)
        {
            if (float.IsNaN(value) || float.IsInfinity(value)) throw new ArgumentException("table holds a NaN or infinite entry.", nameof(table));
        }

        _table = table;
        _rotation = rotation;
        _radii = radii;
        Shells = shells;
        DirectionsPerShell = directionsPerShell;
        TrainingDistortion = trainingDistortion;
        Fingerprint = CodebookFingerprint.Compute(spec, shells, directionsPerShell, table, rotation);
        if (expectedFingerprint is ulong expected && expected != Fingerprint)
            throw new ArgumentException(
                $"Fingerprint mismatch: the data hashes to 0x{Fingerprint:X16} but 0x{expected:X16} was recorded; the table or spec was altered.",
                nameof(expectedFingerprint));
    }

    /// <summary>The spec this codebook was designed from.</summary>
    public CodebookSpec Spec { get; }

    /// <summary>Number of shells L.</summary>
    public int Shells { get; }

    /// <summary>Directions per shell M_a (N = L·M_a).</summary>
    public int DirectionsPerShell { get; }

    /// <summary>The initial Beta-quantile shell radii (used by the two-stage encoder to pick a shell).</summary>
    public ReadOnlySpan<float> Radii => _radii;

    /// <summary>Codewords, N×k row-major.</summary>
    public ReadOnlySpan<float> Table => _table;

    /// <summary>Rotation data (Haar: d×d row-major; Hadamard: rounds×d signs).</summary>
    public ReadOnlySpan<float> Rotation => _rotation;

    /// <summary>Per-vector squared error (sum over d/k blocks) on the training sample.</summary>
    public double TrainingDistortion { get; }

    /// <summary>Hash of the spec, the shell layout, the table bits and the rotation bits.</summary>
    public ulong Fingerprint { get; }

    /// <summary>Codeword <paramref name="index"/> (length k).</summary>
    public ReadOnlySpan<float> Codeword(int index)
    {
        if ((uint)index >= (uint)Spec.Codewords)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Spec.Codewords - 1}].");
        return new ReadOnlySpan<float>(_table, index * Spec.BlockSize, Spec.BlockSize);
    }

    internal static int RotationLength(CodebookSpec spec) => spec.Rotation == RotationKind.Haar
        ? spec.Dimension * spec.Dimension
        : RotationDesign.HadamardRounds * spec.Dimension;
}
