using System;
using System.Diagnostics;
using System.Threading;

namespace FibQuant.Server.Metrics;

/// <summary>
/// Counters and per-token timings of the whole server. Token times (model forward + sampling, network excluded) go into a
/// ring of the most recent <see cref="TimedTokenCapacity"/> tokens from which p50/p99 are read; tokens/s counts the
/// tokens of the last <see cref="RateWindowSeconds"/> whole seconds. Safe to call from any number of request threads.
/// </summary>
internal sealed class ServerMetrics
{
    /// <summary>Most recent token times kept for the percentiles.</summary>
    public const int TimedTokenCapacity = 16_384;

    /// <summary>Seconds over which tokens/s is averaged.</summary>
    public const int RateWindowSeconds = 10;

    private readonly Lock _lock = new();
    private readonly double[] _times = new double[TimedTokenCapacity];
    private readonly long[] _perSecond = new long[RateWindowSeconds + 1];
    private readonly long[] _secondOfBucket = new long[RateWindowSeconds + 1];
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _timed;
    private long _tokens;
    private long _rejected429, _conflicts409, _badRequests, _spills, _restores;

    /// <summary>Tokens generated since start.</summary>
    public long TokensGenerated => Interlocked.Read(ref _tokens);

    /// <summary>Requests answered 429.</summary>
    public long Rejected429 => Interlocked.Read(ref _rejected429);

    /// <summary>Requests answered 409.</summary>
    public long Conflicts409 => Interlocked.Read(ref _conflicts409);

    /// <summary>Requests answered 400 or 404.</summary>
    public long BadRequests => Interlocked.Read(ref _badRequests);

    /// <summary>Sessions written to disk.</summary>
    public long Spills => Interlocked.Read(ref _spills);

    /// <summary>Sessions read back from disk.</summary>
    public long Restores => Interlocked.Read(ref _restores);

    /// <summary>Records one generated token that took <paramref name="milliseconds"/>.</summary>
    public void RecordToken(double milliseconds)
    {
        long second = (long)Stopwatch.GetElapsedTime(_start).TotalSeconds;
        lock (_lock)
        {
            _times[_timed % TimedTokenCapacity] = milliseconds;
            _timed++;
            _tokens++;
            int bucket = (int)(second % _perSecond.Length);
            if (_secondOfBucket[bucket] != second)
            {
                _secondOfBucket[bucket] = second;
                _perSecond[bucket] = 0;
            }
            _perSecond[bucket]++;
        }
    }

    /// <summary>Counts an answer with a 4xx <paramref name="status"/>.</summary>
    public void RecordRejection(int status)
    {
        switch (status)
        {
            case 429: Interlocked.Increment(ref _rejected429); break;
            case 409: Interlocked.Increment(ref _conflicts409); break;
            default: Interlocked.Increment(ref _badRequests); break;
        }
    }

    /// <summary>Counts a spill to disk.</summary>
    public void RecordSpill() => Interlocked.Increment(ref _spills);

    /// <summary>Counts a restore from disk.</summary>
    public void RecordRestore() => Interlocked.Increment(ref _restores);

    /// <summary>Tokens per second over the last <see cref="RateWindowSeconds"/> whole seconds (the current second excluded).</summary>
    public double TokensPerSecond()
    {
        long now = (long)Stopwatch.GetElapsedTime(_start).TotalSeconds;
        long total = 0;
        lock (_lock)
        {
            for (int b = 0; b < _perSecond.Length; b++)
            {
                long age = now - _secondOfBucket[b];
                if (age >= 1 && age <= RateWindowSeconds) total += _perSecond[b];
            }
        }
        return total / (double)RateWindowSeconds;
    }

    /// <summary>The <paramref name="quantiles"/> (in [0, 1]) of the recent token times in ms, written to <paramref name="results"/>; returns the sample count.</summary>
    public int TokenTimeQuantiles(ReadOnlySpan<double> quantiles, Span<double> results)
    {
        double[] copy;
        lock (_lock)
        {
            int count = (int)Math.Min(_timed, TimedTokenCapacity);
            copy = _times.AsSpan(0, count).ToArray();
        }
        Array.Sort(copy);
        for (int i = 0; i < quantiles.Length; i++)
        {
            // Nearest rank: the smallest sample with at least a fraction q of the samples at or below it.
            int rank = (int)Math.Ceiling(quantiles[i] * copy.Length);
            results[i] = copy.Length == 0 ? 0 : copy[Math.Clamp(rank - 1, 0, copy.Length - 1)];
        }
        return copy.Length;
    }
}
