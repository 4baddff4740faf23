namespace FibQuant.Design;

/// <summary>The shared random rotation applied before blocking.</summary>
public enum RotationKind
{
    /// <summary>Haar-random orthogonal matrix (QR of a seeded Gaussian matrix), O(d²) per vector: the paper's choice.</summary>
    Haar = 0,

    /// <summary>Three rounds of random signs and a normalised fast Walsh–Hadamard transform, O(d log d); d a power of two.</summary>
    Hadamard = 1,
}
