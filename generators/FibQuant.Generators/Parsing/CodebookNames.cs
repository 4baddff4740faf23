using Microsoft.CodeAnalysis.CSharp;

namespace FibQuant.Generators.Parsing;

/// <summary>
/// The generated class's name and namespace as they appear in emitted code: keywords are escaped with '@' (a spec file may
/// name a class "class", an attribute may sit on <c>@class</c>), and names the emitter gives to members are refused.
/// </summary>
internal static class CodebookNames
{
    /// <summary>
    /// Every member the emitter declares inside a codebook class. A class cannot have a member of its own name (CS0542), so a
    /// codebook class must not be called any of these; a generator test keeps this list equal to what the emitter writes.
    /// </summary>
    public static readonly string[] GeneratedMembers =
    {
        "BlockSize", "BlocksPerVector", "BuildScoreTable", "Codec", "CodewordTable", "Codewords", "Decode", "DecodeBatch",
        "Dimension", "DirectionsPerShell", "Encode", "EncodeBatch", "EncodedSize", "Fingerprint", "HadamardSigns", "HeaderSize",
        "IndexBits", "InverseRotate", "NormFormat", "Radii", "Restarts", "Rotate", "Rotation", "RotationColumns", "RotationMatrix",
        "Seed", "Shells", "TrainingDistortion", "TrainingSamples", "TransposedTable",
    };

    /// <summary>The identifier as emitted code must spell it: '@' before any reserved or contextual keyword.</summary>
    public static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(identifier) != SyntaxKind.None
            ? "@" + identifier
            : identifier;

    /// <summary>A dotted namespace with each part escaped; empty stays empty (the global namespace).</summary>
    public static string EscapeNamespace(string dotted)
    {
        if (dotted.Length == 0) return dotted;
        string[] parts = dotted.Split('.');
        for (int i = 0; i < parts.Length; i++) parts[i] = Escape(parts[i]);
        return string.Join(".", parts);
    }

    /// <summary>Contextual keywords that emitted code uses as types: a class of that name would take their place (CS0723).</summary>
    private static readonly string[] TypeKeywords = { "var", "dynamic", "nint", "nuint" };

    /// <summary>True when <paramref name="className"/> (unescaped) is the name of a generated member.</summary>
    public static bool IsGeneratedMember(string className) => System.Array.IndexOf(GeneratedMembers, className) >= 0;

    /// <summary>Why <paramref name="className"/> (unescaped) cannot name a codebook class, or null when it can.</summary>
    public static string? Reserved(string className) =>
        IsGeneratedMember(className) ? $"the generator declares a member named '{className}' inside it (a class cannot contain a member of its own name)"
        : System.Array.IndexOf(TypeKeywords, className) >= 0 ? $"the generated code uses '{className}' as a type keyword"
        : null;
}
