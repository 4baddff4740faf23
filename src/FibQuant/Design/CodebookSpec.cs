using System;

namespace FibQuant.Design;

/// <summary>
/// Everything that determines a codebook's bits: d, k, N, seed, rotation, training sample size and restart count.
/// Two equal specs always design bit-identical tables.
/// </summary>
public sealed class CodebookSpec : IEquatable<CodebookSpec>
{
    /// <summary>Largest supported vector dimension.</summary>
    public const int MaxDimension = 8192;

    /// <summary>Largest supported codebook size (16-bit indices).</summary>
    public const int MaxCodewords = 65536;

    /// <summary>Largest supported training sample.</summary>
    public const int MaxTrainingSamples = 10_000_000;

    /// <summary>The paper's restart count.</summary>
    public const int DefaultRestarts = 20;

    /// <summary>Creates a validated spec; throws <see cref="ArgumentException"/>-family errors naming the parameter.</summary>
    /// <param name="dimension">Vector length d.</param>
    /// <param name="blockSize">Block length k; must divide d.</param>
    /// <param name="codewords">Codebook size N, a power of two in [2, 65536].</param>
    /// <param name="seed">Seed of every random choice in the design.</param>
    /// <param name="rotation">The shared rotation.</param>
    /// <param name="trainingSamples">Training blocks; 0 picks <see cref="DefaultTrainingSamples"/>.</param>
    /// <param name="restarts">Lloyd–Max restarts (restart 0 from the exact initial codebook).</param>
    public CodebookSpec(int dimension, int blockSize, int codewords, ulong seed = 0, RotationKind rotation = RotationKind.Haar,
        int trainingSamples = 0, int restarts = DefaultRestarts)
    {
        if (trainingSamples == 0 && codewords > 0) trainingSamples = DefaultTrainingSamples(codewords);
        SpecError error = Validate(dimension, blockSize, codewords, rotation, trainingSamples, restarts);
        if (error.IsError)
        {
            throw error.Kind == SpecErrorKind.BlockSizeInvalid && blockSize >= 1 && blockSize <= dimension
                ? new ArgumentException(error.Message, error.ParameterName)
                : new ArgumentOutOfRangeException(error.ParameterName, error.Message);
        }

        Dimension = dimension;
        BlockSize = blockSize;
        Codewords = codewords;
        Seed = seed;
        Rotation = rotation;
        TrainingSamples = trainingSamples;
        Restarts = restarts;
    }

    /// <summary>Vector length d.</summary>
    public int Dimension { get; }

    /// <summary>Block length k.</summary>
    public int BlockSize { get; }

    /// <summary>Codebook size N.</summary>
    public int Codewords { get; }

    /// <summary>Design seed.</summary>
    public ulong Seed { get; }

    /// <summary>Rotation kind.</summary>
    public RotationKind Rotation { get; }

    /// <summary>Number of spherical-Beta training blocks.</summary>
    public int TrainingSamples { get; }

    /// <summary>Lloyd–Max restarts.</summary>
    public int Restarts { get; }

    /// <summary>Bits per index, log2 N.</summary>
    public int IndexBits => Log2(Codewords);

    /// <summary>Blocks per vector, d/k.</summary>
    public int BlocksPerVector => Dimension / BlockSize;

    /// <summary>Rate b = log2(N)/k bits per coordinate.</summary>
    public double BitsPerCoordinate => (double)IndexBits / BlockSize;

    /// <summary>Default training size: 256 blocks per codeword, at least 32 768 and at most 1 048 576.</summary>
    public static int DefaultTrainingSamples(int codewords) => (int)Math.Min(1 << 20, Math.Max(32768L, 256L * codewords));

    /// <summary>Checks the fields without throwing; the generator turns the result into a diagnostic.</summary>
    public static SpecError Validate(int dimension, int blockSize, int codewords, RotationKind rotation, int trainingSamples, int restarts)
    {
        if (dimension < 2 || dimension > MaxDimension)
            return new SpecError(SpecErrorKind.DimensionOutOfRange, nameof(dimension), $"dimension must be in [2, {MaxDimension}], got {dimension}.");
        if (blockSize < 1 || blockSize >= dimension)
            return new SpecError(SpecErrorKind.BlockSizeInvalid, nameof(blockSize), $"blockSize must be in [1, {dimension - 1}] (k < d), got {blockSize}.");
        if (dimension % blockSize != 0)
            return new SpecError(SpecErrorKind.BlockSizeInvalid, nameof(blockSize), $"blockSize {blockSize} must divide dimension {dimension}.");
        if (codewords < 2 || codewords > MaxCodewords || (codewords & (codewords - 1)) != 0)
            return new SpecError(SpecErrorKind.CodewordsInvalid, nameof(codewords), $"codewords must be a power of two in [2, {MaxCodewords}], got {codewords}.");
        if (rotation != RotationKind.Haar && rotation != RotationKind.Hadamard)
            return new SpecError(SpecErrorKind.RotationInvalid, nameof(rotation), $"rotation must be Haar or Hadamard, got {(int)rotation}.");
        if (rotation == RotationKind.Hadamard && (dimension & (dimension - 1)) != 0)
            return new SpecError(SpecErrorKind.RotationInvalid, nameof(rotation), $"the Hadamard rotation needs a power-of-two dimension, got {dimension}; use Haar.");
        if (trainingSamples < codewords || trainingSamples > MaxTrainingSamples)
            return new SpecError(SpecErrorKind.TrainingSamplesOutOfRange, nameof(trainingSamples), $"trainingSamples must be in [{codewords} (N), {MaxTrainingSamples}], got {trainingSamples}.");
        if (restarts < 1 || restarts > 1000)
            return new SpecError(SpecErrorKind.RestartsOutOfRange, nameof(restarts), $"restarts must be in [1, 1000], got {restarts}.");
        return default;
    }

    /// <inheritdoc />
    public bool Equals(CodebookSpec? other) => other is not null
        && Dimension == other.Dimension && BlockSize == other.BlockSize && Codewords == other.Codewords && Seed == other.Seed
        && Rotation == other.Rotation && TrainingSamples == other.TrainingSamples && Restarts == other.Restarts;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CodebookSpec other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        unchecked
        {
            int hash = Dimension;
            hash = hash * 31 + BlockSize;
            hash = hash * 31 + Codewords;
            hash = hash * 31 + Seed.GetHashCode();
            hash = hash * 31 + (int)Rotation;
            hash = hash * 31 + TrainingSamples;
            return hash * 31 + Restarts;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"d={Dimension} k={BlockSize} N={Codewords} seed={Seed} rotation={Rotation} samples={TrainingSamples} restarts={Restarts}";

    internal static int Log2(int powerOfTwo)
    {
        int bits = 0;
        while ((1 << bits) < powerOfTwo) bits++;
        return bits;
    }
}
