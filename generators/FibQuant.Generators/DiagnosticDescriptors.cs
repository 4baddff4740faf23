using Microsoft.CodeAnalysis;

namespace FibQuant.Generators;

/// <summary>Every diagnostic the FibQuant generator reports (documented in docs/generator.md).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "FibQuant.Generator";

    public static readonly DiagnosticDescriptor NotStaticPartial = Create("FQ0001", "Codebook class must be a top-level static partial class",
        "'{0}' must be a top-level 'static partial class' to receive a generated codebook; {1}");

    public static readonly DiagnosticDescriptor DimensionOutOfRange = Create("FQ0002", "Codebook dimension out of range",
        "Codebook '{0}': {1} Choose a dimension between 2 and 8192.");

    public static readonly DiagnosticDescriptor BlockSizeInvalid = Create("FQ0003", "Block size must divide the dimension",
        "Codebook '{0}': {1} Pick a block size k that divides the dimension d (and k < d).");

    public static readonly DiagnosticDescriptor CodewordsInvalid = Create("FQ0004", "Codeword count must be a power of two",
        "Codebook '{0}': {1} Use 2, 4, 8, …, 65536 codewords.");

    public static readonly DiagnosticDescriptor RotationInvalid = Create("FQ0005", "Rotation not available for this dimension",
        "Codebook '{0}': {1}");

    public static readonly DiagnosticDescriptor TrainingSamplesOutOfRange = Create("FQ0006", "Training sample size out of range",
        "Codebook '{0}': {1} Use 0 for the default (256 per codeword, at least 32768).");

    public static readonly DiagnosticDescriptor RestartsOutOfRange = Create("FQ0007", "Restart count out of range",
        "Codebook '{0}': {1} The paper uses 20.");

    public static readonly DiagnosticDescriptor BudgetExceeded = Create("FQ0008", "Codebook too large to design while compiling",
        "Codebook '{0}' is over the compile-time budget (which fits every N ≤ 256, k ≤ 8, d ≤ 256 at the default training size and restarts): {1}; pass that spec file as an AdditionalFile instead of the attribute (install the command with 'dotnet tool install --global FibQuant.Cli')");

    public static readonly DiagnosticDescriptor MalformedSpecFile = Create("FQ0009", "Malformed codebook spec file",
        "Spec file '{0}' is malformed: {1}");

    public static readonly DiagnosticDescriptor InconsistentSpecFile = Create("FQ0010", "Inconsistent codebook spec file",
        "Spec file '{0}' is inconsistent: {1}; regenerate it with 'dotnet run --project src/FibQuant.Cli -- design'");

    public static readonly DiagnosticDescriptor FingerprintMismatch = Create("FQ0011", "Precomputed table does not match its fingerprint",
        "Codebook '{0}': {1} The table or the spec fields were edited by hand; regenerate the spec file with 'dotnet run --project src/FibQuant.Cli -- design'.");

    public static readonly DiagnosticDescriptor DuplicateName = Create("FQ0012", "Duplicate codebook class",
        "Codebook class '{0}' is declared more than once ({1}); give each attribute or spec file its own class name or namespace");

    public static readonly DiagnosticDescriptor NormFormatInvalid = Create("FQ0013", "Unknown norm format",
        "Codebook '{0}': NormFormat {1} is not defined; use NormFormat.Half or NormFormat.Single");

    public static readonly DiagnosticDescriptor DesignFailed = Create("FQ0014", "Codebook design failed",
        "Codebook '{0}' could not be designed: {1}");

    public static readonly DiagnosticDescriptor ClassNameTaken = Create("FQ0015", "Codebook class name is reserved",
        "Codebook class '{0}' cannot have this name: {1}; rename the class");

    public static readonly DiagnosticDescriptor MemberNameTaken = Create("FQ0016", "Codebook class declares a generated member",
        "Codebook class '{0}' declares '{1}', a member the generator also declares in it; rename or remove '{1}'");

    public static readonly DiagnosticDescriptor ReadFromDesignCache = Create("FQ0017", "Codebook read from the design cache",
        "Codebook '{0}' was read from the design cache entry '{1}' instead of being designed again", DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor DesignCacheEntryIgnored = Create("FQ0018", "Design cache entry ignored",
        "Design cache entry '{0}' was ignored and the codebook designed again: {1}", DiagnosticSeverity.Info);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true);
}
