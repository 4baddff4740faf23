using System;
using System.Threading;

namespace FibQuant.Attention;

/// <summary>
/// Detects a cache used from two threads at once. A cache's calls share its scratch buffers, so overlapping calls would
/// silently return wrong answers; instead the thread that enters second gets <see cref="InvalidOperationException"/> and
/// the call already running is unaffected. The owning thread may nest calls (one public call building on another).
/// Costs one interlocked compare-exchange per call.
/// </summary>
internal sealed class SingleCallerGuard
{
    private int _owner;

    /// <summary>Claims the cache for the calling thread until the returned scope is disposed.</summary>
    /// <exception cref="InvalidOperationException">Another thread is inside a call on the same cache.</exception>
    public Scope Enter()
    {
        int me = Environment.CurrentManagedThreadId;
        int owner = Interlocked.CompareExchange(ref _owner, me, 0);
        if (owner == 0) return new Scope(this);
        if (owner == me) return default;
        throw new InvalidOperationException(
            $"This cache is already in use by thread {owner}; a cache serves one call at a time (see docs/guarantees.md). " +
            "Serialise calls on one cache (for example with a lock), or give each thread its own cache.");
    }

    /// <summary>Releases the cache when the outermost call returns.</summary>
    public readonly ref struct Scope
    {
        private readonly SingleCallerGuard? _guard;

        public Scope(SingleCallerGuard guard) => _guard = guard;

        public void Dispose()
        {
            if (_guard is not null) Volatile.Write(ref _guard._owner, 0);
        }
    }
}
