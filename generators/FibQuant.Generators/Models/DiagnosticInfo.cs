using Microsoft.CodeAnalysis;

namespace FibQuant.Generators.Models;

/// <summary>A diagnostic as values: descriptor, location and message arguments (strings compare by value).</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, string Argument0, string Argument1 = "")
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), Argument0, Argument1);
}
