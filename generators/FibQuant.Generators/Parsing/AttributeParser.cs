using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FibQuant.Generators.Parsing;

/// <summary>Reads a <c>[FibQuantCodebook]</c> class into a <see cref="CodebookRequest"/> (values only).</summary>
internal static class AttributeParser
{
    public const string AttributeName = "FibQuant.Generation.FibQuantCodebookAttribute";

    private static readonly string[] Positional = { "dimension", "blockSize", "codewords" };

    public static CodebookRequest? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not ClassDeclarationSyntax syntax) return null;
        AttributeData? attribute = context.Attributes.FirstOrDefault();
        // A constructor the compiler could not bind is already a compiler error; nothing to add.
        if (attribute is null || attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 3) return null;

        if (syntax.Identifier.IsMissing || type.Name.Length == 0) return null;
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        // Arguments the compiler rejects (wrong types, unknown names, out-of-range constants) are its errors to report.
        if (attributeSyntax is null || context.SemanticModel.GetDiagnostics(attributeSyntax.Span, cancellationToken)
                .Any(d => d.Severity == DiagnosticSeverity.Error)) return null;
        LocationInfo? classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();

        bool isPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        if (!type.IsStatic || !isPartial || type.ContainingType is not null || type.IsGenericType || type.IsFileLocal)
        {
            string fix = type.ContainingType is not null ? $"move it out of '{type.ContainingType.Name}' to namespace level"
                : type.IsGenericType ? "remove its type parameters"
                : type.IsFileLocal ? "remove the 'file' modifier (the generated part lives in another file)"
                : "declare it as 'static partial class " + type.Name + "'";
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NotStaticPartial, classLocation, type.Name, fix));
        }
        else if (CodebookNames.Reserved(type.Name) is string reason)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.ClassNameTaken, classLocation, type.Name, reason));
        }
        else if (TakenMember(type) is string member)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.MemberNameTaken, classLocation, type.Name, member));
        }

        int dimension = Int(attribute.ConstructorArguments[0]);
        int blockSize = Int(attribute.ConstructorArguments[1]);
        int codewords = Int(attribute.ConstructorArguments[2]);
        ulong seed = 0;
        int rotation = 0, normFormat = 0, samples = 0, restarts = FibQuant.Design.CodebookSpec.DefaultRestarts;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            object? value = named.Value.Value;
            switch (named.Key)
            {
                case "Seed": seed = value is ulong u ? u : 0; break;
                case "Rotation": rotation = value is int r ? r : 0; break;
                case "NormFormat": normFormat = value is int n ? n : 0; break;
                case "TrainingSamples": samples = value is int s ? s : 0; break;
                case "Restarts": restarts = value is int rs ? rs : 0; break;
            }
        }

        LocationInfo? Locate(string parameter)
        {
            if (attributeSyntax.ArgumentList is null) return LocationInfo.From(attributeSyntax.GetLocation()) ?? classLocation;
            int position = System.Array.IndexOf(Positional, parameter);
            int index = 0;
            foreach (AttributeArgumentSyntax argument in attributeSyntax.ArgumentList.Arguments)
            {
                string? name = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
                if (name is not null ? string.Equals(name, parameter, System.StringComparison.OrdinalIgnoreCase) : index == position)
                    return LocationInfo.From(argument.GetLocation());
                index++;
            }

            return LocationInfo.From(attributeSyntax.GetLocation());
        }

        if (diagnostics.Count == 0)
            SpecChecks.Validate(type.Name, dimension, blockSize, codewords, rotation, normFormat, samples, restarts, Locate, diagnostics);

        return new CodebookRequest(CodebookNames.Escape(type.Name), EscapedNamespace(type.ContainingNamespace), "static partial class", "attribute", dimension, blockSize, codewords, seed, rotation,
            normFormat, samples, restarts, null, LocationInfo.From(attributeSyntax.GetLocation()) ?? classLocation,
            EquatableArray.From(diagnostics));
    }

    /// <summary>The first member (nested types included) the user declared under a name the generator also declares.</summary>
    private static string? TakenMember(INamedTypeSymbol type)
    {
        foreach (string member in type.MemberNames)
        {
            if (CodebookNames.IsGeneratedMember(member)) return member;
        }

        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            if (CodebookNames.IsGeneratedMember(nested.Name)) return nested.Name;
        }

        return null;
    }

    /// <summary>Built from metadata names, part by part: a display string would carry '@' only where the source wrote it.</summary>
    private static string EscapedNamespace(INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace) return string.Empty;
        string outer = EscapedNamespace(ns.ContainingNamespace);
        string part = CodebookNames.Escape(ns.Name);
        return outer.Length == 0 ? part : outer + "." + part;
    }

    private static int Int(TypedConstant constant) => constant.Value is int value ? value : 0;
}
