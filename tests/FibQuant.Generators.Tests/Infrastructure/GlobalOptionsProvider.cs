using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace FibQuant.Generators.Tests.Infrastructure;

/// <summary>Build properties as the compiler hands them to generators (<c>build_property.*</c> global options), nothing per file.</summary>
internal sealed class GlobalOptionsProvider : AnalyzerConfigOptionsProvider
{
    private static readonly Options NoOptions = new(new Dictionary<string, string>());

    public GlobalOptionsProvider(IReadOnlyDictionary<string, string> globalOptions) => GlobalOptions = new Options(globalOptions);

    public override AnalyzerConfigOptions GlobalOptions { get; }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => NoOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => NoOptions;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
