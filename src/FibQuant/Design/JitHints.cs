using System.Runtime.CompilerServices;

namespace FibQuant.Design;

/// <summary>Code-generation hints for the design's hot loops.</summary>
internal static class JitHints
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization, by value: netstandard2.0 (the generator's target) lacks the name, and the
    /// runtimes that load the generator honour the flag. A design runs once per process in the compiler, so its loops
    /// would otherwise spend their first few hundred milliseconds in unoptimised tier-0 code (measured on (64, 2, 16)).
    /// </summary>
    public const MethodImplOptions OptimizeNow = (MethodImplOptions)512;
}
