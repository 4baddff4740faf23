using System.Collections.Concurrent;
using System.Threading;
using FibQuant.Design;

namespace FibQuant.Tests.Support;

/// <summary>Designs each spec once per test run: several test classes share the expensive ones.</summary>
internal static class Designs
{
    private static readonly ConcurrentDictionary<CodebookSpec, Lazy<Codebook>> Cache = new();

    public static Codebook Get(CodebookSpec spec) =>
        Cache.GetOrAdd(spec, s => new Lazy<Codebook>(() => CodebookDesigner.Design(s), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
}
