using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using FibQuant.Server.Api;
using FibQuant.Server.Caching;
using FibQuant.Server.Hosting;
using FibQuant.Server.Metrics;

namespace FibQuant.Server.Sessions;

/// <summary>
/// All sessions, the memory budget they share, and spilling: a session that does not fit in the budget first makes
/// room by spilling the least recently used idle sessions to disk; if that is not enough the
/// request is refused with 429. A spilled session is restored, under the same rule, when its next request arrives.
/// </summary>
internal sealed class SessionStore : IDisposable
{
    private readonly ConcurrentDictionary<string, ServerSession> _sessions = new(StringComparer.Ordinal);
    private readonly ModelHost _host;
    private readonly MemoryBudget _budget;
    private readonly ServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly CodecRegistry _codecs;

    /// <summary>Creates an empty store.</summary>
    public SessionStore(ModelHost host, ServerOptions options, ServerMetrics metrics, CodecRegistry codecs)
    {
        _host = host;
        _options = options;
        _metrics = metrics;
        _codecs = codecs;
        _budget = new MemoryBudget(options.BudgetBytes);
    }

    /// <summary>The shared budget.</summary>
    public MemoryBudget Budget => _budget;

    /// <summary>The sessions now held (resident or spilled).</summary>
    public ICollection<ServerSession> Sessions => _sessions.Values;

    /// <summary>
    /// Validates <paramref name="request"/>, reserves the session's memory (spilling idle sessions if needed), feeds the
    /// prompt and registers the session.
    /// </summary>
    /// <exception cref="RequestException">400 for invalid settings or a prompt longer than the context; 429 when the budget cannot hold the session.</exception>
    public ServerSession Create(CreateSessionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        int sequenceLength = _host.SequenceLength;
        string prompt = request.Prompt ?? throw RequestException.BadRequest("prompt is required (an empty string starts from BOS alone).");
        int maxContext = request.MaxContext ?? sequenceLength;
        if (maxContext < 1 || maxContext > sequenceLength)
            throw RequestException.BadRequest($"max_context must be in [1, {sequenceLength}] (the model's context), got {maxContext}.");
        // A token holds at least one UTF-8 byte: a prompt of more bytes than the context has tokens cannot fit, and is
        // refused before it is tokenized.
        int promptBytes = Encoding.UTF8.GetByteCount(prompt);
        if (promptBytes >= (long)maxContext * _host.Tokenizer.MaxTokenLength)
            throw RequestException.BadRequest($"The prompt ({promptBytes} UTF-8 bytes) is longer than max_context = {maxContext} tokens can hold.");
        int[] tokens = _host.Tokenizer.Encode(prompt, bos: true, eos: false);
        if (tokens.Length > maxContext)
            throw RequestException.BadRequest(
                $"The prompt is {tokens.Length} tokens (BOS included); max_context is {maxContext} and the model's context {sequenceLength}.");

        var config = _host.Model.Config;
        SessionCacheSettings cache = SessionCacheSettings.Parse(request.Keys, request.Values, request.RecentWindow, config.HeadSize,
            config.LayerCount * config.KvHeadCount, sequenceLength, _codecs);
        long reserve = cache.BytesFor(maxContext);
        Admit(reserve, except: null);
        try
        {
            ServerSession session = ServerSession.Start(Guid.NewGuid().ToString("N"), _host.Model, cache, maxContext, tokens);
            _sessions[session.Id] = session;
            return session;
        }
        catch
        {
            _budget.Release(reserve);
            throw;
        }
    }

    /// <summary>The session <paramref name="id"/>.</summary>
    /// <exception cref="RequestException">404: no such session.</exception>
    public ServerSession Get(string id) =>
        _sessions.TryGetValue(id, out ServerSession? session) ? session : throw RequestException.NotFound(id);

    /// <summary>Brings a spilled session back into memory; the caller holds its gate.</summary>
    /// <exception cref="RequestException">429: the budget cannot hold it even after spilling idle sessions.</exception>
    public void EnsureResident(ServerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.IsResident) return;
        Admit(session.ReservedBytes, except: session);
        try
        {
            session.RestoreFrom(SpillFolder(session), _host.Model);
            _metrics.RecordRestore();
        }
        catch
        {
            _budget.Release(session.ReservedBytes);
            throw;
        }
    }

    /// <summary>Removes session <paramref name="id"/> and returns its memory.</summary>
    /// <exception cref="RequestException">404: no such session; 409: a request is running on it.</exception>
    public void Delete(string id)
    {
        ServerSession session = Get(id);
        if (!session.TryEnterMaintenance()) throw RequestException.Busy(id);
        // The gate never opens again: a request that still holds this object gets 404, never a deleted cache.
        session.MarkRemoved();
        if (!_sessions.TryRemove(id, out _)) return;
        if (session.IsResident)
        {
            _budget.Release(session.ReservedBytes);
        }
        else
        {
            string folder = SpillFolder(session);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Spills every idle session unused for at least <paramref name="idleFor"/>; returns how many.</summary>
    public int SpillIdle(TimeSpan idleFor)
    {
        if (!_options.SpillEnabled) return 0;
        long now = Stopwatch.GetTimestamp();
        int spilled = 0;
        foreach (ServerSession session in _sessions.Values)
        {
            if (session.IsResident && Stopwatch.GetElapsedTime(session.LastUsed, now) >= idleFor
                && TrySpill(session))
                spilled++;
        }
        return spilled;
    }

    /// <summary>Deletes the files of spilled sessions, and the spill folder when nothing else is in it.</summary>
    public void Dispose()
    {
        foreach (ServerSession session in _sessions.Values)
        {
            string folder = SpillFolder(session);
            if (!session.IsResident && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        if (Directory.Exists(_options.SpillDirectory) && Directory.GetFileSystemEntries(_options.SpillDirectory).Length == 0)
            Directory.Delete(_options.SpillDirectory);
    }

    private void Admit(long bytes, ServerSession? except)
    {
        if (_budget.TryReserve(bytes)) return;
        if (_options.SpillEnabled)
        {
            List<ServerSession> candidates = SpillCandidates(except);
            long spillable = 0;
            foreach (ServerSession candidate in candidates) spillable += candidate.ReservedBytes;
            // Spill nothing when even spilling every candidate could not make room.
            if (bytes > _budget.CapacityBytes - _budget.ReservedBytes + spillable) candidates.Clear();
            foreach (ServerSession victim in candidates)
            {
                TrySpill(victim);
                if (_budget.TryReserve(bytes)) return;
            }
        }
        throw RequestException.OverBudget(
            $"The KV-cache budget of {_budget.CapacityBytes} bytes has {_budget.CapacityBytes - _budget.ReservedBytes} free; " +
            $"this session needs {bytes} (its caches at max_context tokens). Retry later, delete sessions, or use a smaller cache or max_context.",
            _options.RetryAfterSeconds);
    }

    /// <summary>Resident sessions, least recently used first.</summary>
    private List<ServerSession> SpillCandidates(ServerSession? except)
    {
        var candidates = new List<ServerSession>();
        foreach (ServerSession session in _sessions.Values)
        {
            if (session != except && session.IsResident) candidates.Add(session);
        }
        candidates.Sort(static (a, b) => a.LastUsed.CompareTo(b.LastUsed));
        return candidates;
    }

    /// <summary>
    /// Writes <paramref name="session"/>'s caches to disk and returns its memory, unless it is spilled already, busy or gone.
    /// </summary>
    public bool TrySpill(ServerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.TryEnterMaintenance()) return false;
        try
        {
            if (!session.IsResident || !_sessions.ContainsKey(session.Id)) return false;
            session.SpillTo(SpillFolder(session));
            _budget.Release(session.ReservedBytes);
            _metrics.RecordSpill();
            return true;
        }
        finally
        {
            session.ExitMaintenance();
        }
    }

    private string SpillFolder(ServerSession session) => Path.Combine(_options.SpillDirectory, session.Id);
}
