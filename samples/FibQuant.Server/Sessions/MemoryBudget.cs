using System;
using System.Threading;

namespace FibQuant.Server.Sessions;

/// <summary>
/// The bytes of KV cache all resident sessions may hold together. A session reserves, before it is created or restored,
/// what its caches will report when full (<see cref="Caching.SessionCacheSettings.BytesFor"/>), so a running generation
/// never needs memory the budget did not grant; spilling or deleting the session returns the reservation.
/// </summary>
internal sealed class MemoryBudget
{
    private readonly Lock _lock = new();
    private long _reserved;

    /// <summary>Creates a budget of <paramref name="capacityBytes"/>.</summary>
    public MemoryBudget(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    /// <summary>Total bytes.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes reserved now.</summary>
    public long ReservedBytes
    {
        get
        {
            lock (_lock) return _reserved;
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> if they fit; false leaves the budget unchanged.</summary>
    public bool TryReserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            if (bytes > CapacityBytes - _reserved) return false;
            _reserved += bytes;
            return true;
        }
    }

    /// <summary>Returns <paramref name="bytes"/> reserved earlier.</summary>
    public void Release(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            if (bytes > _reserved) throw new InvalidOperationException($"Releasing {bytes} bytes, but only {_reserved} are reserved.");
            _reserved -= bytes;
        }
    }
}
