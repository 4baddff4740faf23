namespace FibQuant.Generators.Models;

/// <summary>
/// One entry of the persistent design cache (an AdditionalFile the build wrote under obj/): the design parameters it was made
/// for and its table, or, when the entry could not be read, why. The table is trusted only after its fingerprint verifies.
/// </summary>
internal sealed record CachedDesign(
    string Path,
    int Dimension,
    int BlockSize,
    int Codewords,
    ulong Seed,
    int Rotation,
    int TrainingSamples,
    int Restarts,
    PrecomputedDesign? Design,
    string? Problem)
{
    /// <summary>True when this entry was made for exactly these design parameters.</summary>
    public bool Matches(int dimension, int blockSize, int codewords, ulong seed, int rotation, int trainingSamples, int restarts) =>
        Design is not null && Dimension == dimension && BlockSize == blockSize && Codewords == codewords && Seed == seed
        && Rotation == rotation && TrainingSamples == trainingSamples && Restarts == restarts;
}
