using System;
using FibQuant.Coding;

namespace FibQuant.Rotation;

/// <summary>
/// A dense Haar-random rotation, O(d²) per vector. Both directions are column sweeps (axpy) in a fixed order, so
/// every output element is the same sum of the same products whatever the vector width: codes do not depend on the CPU.
/// </summary>
public sealed class HaarRotation : IRotation
{
    private readonly float[] _rows;       // Π row-major: row i = Π[i, ·]
    private readonly float[] _columns;    // Πᵀ row-major: row j = Π[·, j]

    /// <summary>Wraps Π given row-major (d×d), as produced by the codebook design.</summary>
    public HaarRotation(int dimension, ReadOnlySpan<float> matrix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (matrix.Length != dimension * dimension)
            throw new ArgumentException($"matrix must have d² = {dimension * dimension} entries, got {matrix.Length}.", nameof(matrix));
        Dimension = dimension;
        _rows = matrix.ToArray();
        _columns = new float[_rows.Length];
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++)
                _columns[j * dimension + i] = _rows[i * dimension + j];
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Π row-major: what the inverse sweep reads.</summary>
    internal float[] Rows => _rows;

    /// <summary>Πᵀ row-major: what the forward sweep reads.</summary>
    internal float[] Columns => _columns;

    /// <inheritdoc />
    public void Rotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        RotationArguments.Check(Dimension, source, destination);
        MatrixSweep.Run(new RuntimeDimensions(Dimension, 1, 1), _columns, source, destination, 1f, 1f);
    }

    /// <inheritdoc />
    public void InverseRotate(ReadOnlySpan<float> source, Span<float> destination)
    {
        RotationArguments.Check(Dimension, source, destination);
        MatrixSweep.Run(new RuntimeDimensions(Dimension, 1, 1), _rows, source, destination, 1f, 1f);
    }
}
