using System;
using System.Collections.Concurrent;
using System.Threading;
using FibQuant.Coding;
using FibQuant.Design;

namespace FibQuant.Server.Caching;

/// <summary>
/// The quantizers of every codebook any session asked for, designed once per process and then shared read-only by
/// all sessions and threads (a <see cref="FibQuantizer"/> is immutable). Designs are deterministic, so a spec always
/// maps to the same table bits; a concurrent first request for one spec waits for the single design.
/// </summary>
internal sealed class CodecRegistry
{
    private readonly ConcurrentDictionary<CodebookSpec, Lazy<FibQuantizer>> _codecs = new();

    /// <summary>The registry the server uses: one per process, since designs cost seconds and never change.</summary>
    public static CodecRegistry Shared { get; } = new();

    /// <summary>Number of codebooks designed so far.</summary>
    public int Count => _codecs.Count;

    /// <summary>The quantizer of <paramref name="spec"/>, designed on first use.</summary>
    public FibQuantizer Get(CodebookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _codecs.GetOrAdd(spec, static s => new Lazy<FibQuantizer>(
            () => new FibQuantizer(CodebookDesigner.Design(s)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }
}
