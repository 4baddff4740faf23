using FibQuant.Generators.Helpers;

namespace FibQuant.Generators.Models;

/// <summary>A precomputed design read from a spec file: shell layout, radii, table and the fingerprint to check.</summary>
internal sealed record PrecomputedDesign(int Shells, int DirectionsPerShell, EquatableArray<float> Radii, EquatableArray<float> Table,
    ulong Fingerprint, double TrainingDistortion);

/// <summary>
/// One codebook declaration (attribute or spec file) as values: where to emit, the spec fields, an optional precomputed
/// design and the diagnostics found while reading it. With any diagnostic the codebook is not designed.
/// </summary>
internal sealed record CodebookRequest(
    string ClassName,
    string Namespace,
    string Modifiers,
    string Origin,
    int Dimension,
    int BlockSize,
    int Codewords,
    ulong Seed,
    int Rotation,
    int NormFormat,
    int TrainingSamples,
    int Restarts,
    PrecomputedDesign? Precomputed,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>The class's name with its namespace, for duplicate detection.</summary>
    public string FullName => Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName;
}
