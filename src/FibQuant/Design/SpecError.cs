namespace FibQuant.Design;

/// <summary>What is wrong with a codebook declaration; the generator maps each to its own diagnostic id.</summary>
public enum SpecErrorKind
{
    /// <summary>The declaration is valid.</summary>
    None = 0,
    /// <summary>d out of range.</summary>
    DimensionOutOfRange,
    /// <summary>k out of range or not a divisor of d.</summary>
    BlockSizeInvalid,
    /// <summary>N not a power of two in [2, 65536].</summary>
    CodewordsInvalid,
    /// <summary>Hadamard rotation with d not a power of two, or an unknown rotation.</summary>
    RotationInvalid,
    /// <summary>Training sample size out of range.</summary>
    TrainingSamplesOutOfRange,
    /// <summary>Restart count out of range.</summary>
    RestartsOutOfRange,
}

/// <summary>A spec validation failure carried as a value: which parameter, and a message that says what to change.</summary>
public readonly struct SpecError
{
    /// <summary>Creates an error.</summary>
    public SpecError(SpecErrorKind kind, string parameterName, string message)
    {
        Kind = kind;
        ParameterName = parameterName;
        Message = message;
    }

    /// <summary>The kind of failure; <see cref="SpecErrorKind.None"/> when valid.</summary>
    public SpecErrorKind Kind { get; }

    /// <summary>The offending parameter's name.</summary>
    public string ParameterName { get; }

    /// <summary>What is wrong and the allowed range.</summary>
    public string Message { get; }

    /// <summary>True when this represents a failure.</summary>
    public bool IsError => Kind != SpecErrorKind.None;
}
