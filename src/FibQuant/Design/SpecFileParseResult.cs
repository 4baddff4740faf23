namespace FibQuant.Design;

/// <summary>Why a spec file could not be read.</summary>
public enum SpecFileErrorKind
{
    /// <summary>The file was read.</summary>
    None = 0,

    /// <summary>Not the flat JSON format: a syntax error, an unknown or duplicate member, a wrong value type or a missing field.</summary>
    Malformed,

    /// <summary>Well-formed, but the precomputed fields do not fit together (some missing, wrong lengths).</summary>
    Inconsistent,
}

/// <summary>The outcome of <see cref="CodebookSpecFile.Parse"/>: the file, or an error with a 1-based line and column.</summary>
public sealed class SpecFileParseResult
{
    private SpecFileParseResult(CodebookSpecFile? file, SpecFileErrorKind errorKind, string? error, int line, int column)
    {
        File = file;
        ErrorKind = errorKind;
        Error = error;
        Line = line;
        Column = column;
    }

    /// <summary>The parsed file, when <see cref="Success"/>.</summary>
    public CodebookSpecFile? File { get; }

    /// <summary>True when the file was read.</summary>
    public bool Success => File is not null;

    /// <summary>The kind of failure.</summary>
    public SpecFileErrorKind ErrorKind { get; }

    /// <summary>What is wrong, when not <see cref="Success"/>.</summary>
    public string? Error { get; }

    /// <summary>1-based line of the error (0 on success).</summary>
    public int Line { get; }

    /// <summary>1-based column of the error (0 on success).</summary>
    public int Column { get; }

    internal static SpecFileParseResult Ok(CodebookSpecFile file) => new(file, SpecFileErrorKind.None, null, 0, 0);

    internal static SpecFileParseResult Failure(string error, int line, int column, SpecFileErrorKind kind = SpecFileErrorKind.Malformed) =>
        new(null, kind, error, line, column);
}
