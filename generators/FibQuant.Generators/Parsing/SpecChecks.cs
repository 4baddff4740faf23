using System.Collections.Generic;
using FibQuant.Design;
using FibQuant.Generators.Models;
using Microsoft.CodeAnalysis;

namespace FibQuant.Generators.Parsing;

/// <summary>Turns the shared spec validation (<see cref="CodebookSpec.Validate"/>) into generator diagnostics.</summary>
internal static class SpecChecks
{
    /// <summary>Adds the diagnostic for the first problem of the spec fields, if any.</summary>
    /// <param name="locate">Maps a parameter name ("dimension", "rotation", …) to the location to report.</param>
    public static void Validate(string className, int dimension, int blockSize, int codewords, int rotation, int normFormat,
        int trainingSamples, int restarts, System.Func<string, LocationInfo?> locate, List<DiagnosticInfo> diagnostics)
    {
        if (normFormat != 0 && normFormat != 1)
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NormFormatInvalid, locate("normFormat"), className, normFormat.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        int samples = trainingSamples == 0 && codewords > 0 ? CodebookSpec.DefaultTrainingSamples(codewords) : trainingSamples;
        SpecError error = CodebookSpec.Validate(dimension, blockSize, codewords, (RotationKind)rotation, samples, restarts);
        if (!error.IsError) return;
        DiagnosticDescriptor descriptor = error.Kind switch
        {
            SpecErrorKind.DimensionOutOfRange => DiagnosticDescriptors.DimensionOutOfRange,
            SpecErrorKind.BlockSizeInvalid => DiagnosticDescriptors.BlockSizeInvalid,
            SpecErrorKind.CodewordsInvalid => DiagnosticDescriptors.CodewordsInvalid,
            SpecErrorKind.RotationInvalid => DiagnosticDescriptors.RotationInvalid,
            SpecErrorKind.TrainingSamplesOutOfRange => DiagnosticDescriptors.TrainingSamplesOutOfRange,
            _ => DiagnosticDescriptors.RestartsOutOfRange,
        };
        diagnostics.Add(new DiagnosticInfo(descriptor, locate(error.ParameterName), className, error.Message));
    }
}
