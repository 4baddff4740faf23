using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FibQuant.Attention;
using FibQuant.Llama;
using FibQuant.Server.Caching;

namespace FibQuant.Server.Sessions;

/// <summary>
/// One client's decoding stream: its <see cref="LlamaSession"/> (caches, scratch, position) while resident, or the
/// folder its caches were spilled to, and the next token to feed. The caches are not thread-safe, so a gate admits one
/// holder at a time: a request (a second concurrent request is refused, see <see cref="EnterRequestAsync"/>) or the
/// store's maintenance (spill, delete). Only the gate's holder touches the caches; other threads read the
/// <see cref="Position"/> and <see cref="CacheBytes"/> the holder published.
/// </summary>
internal sealed class ServerSession
{
    private const int Free = 0, HeldByRequest = 1, HeldByMaintenance = 2, Removed = 3;

    private int _gate;
    private LlamaSession? _llama;
    private int _position;
    private long _cacheBytes;
    private long _lastUsed = Stopwatch.GetTimestamp();

    private ServerSession(string id, SessionCacheSettings cache, int maxContext, int promptTokens, LlamaSession llama, int pendingToken)
    {
        Id = id;
        Cache = cache;
        MaxContext = maxContext;
        PromptTokens = promptTokens;
        ReservedBytes = cache.BytesFor(maxContext);
        _llama = llama;
        PendingToken = pendingToken;
        Publish();
    }

    /// <summary>The session's id.</summary>
    public string Id { get; }

    /// <summary>Cache settings.</summary>
    public SessionCacheSettings Cache { get; }

    /// <summary>Most tokens the session holds (prompt included).</summary>
    public int MaxContext { get; }

    /// <summary>Prompt tokens, BOS included.</summary>
    public int PromptTokens { get; }

    /// <summary>Bytes the session reserves from the budget while resident: its caches' bytes at <see cref="MaxContext"/> tokens.</summary>
    public long ReservedBytes { get; }

    /// <summary>The token to feed next (the last prompt token, then the last generated one).</summary>
    public int PendingToken { get; private set; }

    /// <summary>Tokens in the caches.</summary>
    public int Position => Volatile.Read(ref _position);

    /// <summary>Bytes the caches report (0 while spilled).</summary>
    public long CacheBytes => Volatile.Read(ref _cacheBytes);

    /// <summary>Whether the caches are in memory.</summary>
    public bool IsResident => Volatile.Read(ref _llama) is not null;

    /// <summary>When a holder last left the gate (<see cref="Stopwatch"/> timestamp).</summary>
    public long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>
    /// Creates a session and feeds all prompt tokens but the last, which becomes <see cref="PendingToken"/>; the caller
    /// has reserved <see cref="SessionCacheSettings.BytesFor"/>(<paramref name="maxContext"/>) for it.
    /// </summary>
    public static ServerSession Start(string id, LlamaModel model, SessionCacheSettings cache, int maxContext, ReadOnlySpan<int> promptTokens)
    {
        if (promptTokens.IsEmpty) throw new ArgumentException("The prompt holds at least the BOS token.", nameof(promptTokens));
        LlamaSession llama = model.CreateSession(cache.Factory);
        for (int t = 0; t < promptTokens.Length - 1; t++) llama.Forward(promptTokens[t]);
        return new ServerSession(id, cache, maxContext, promptTokens.Length, llama, promptTokens[^1]);
    }

    /// <summary>
    /// Takes the gate for a request. <see cref="SessionEntry.Busy"/> when another request holds it (the caller answers
    /// 409), <see cref="SessionEntry.Removed"/> once the session was deleted; while maintenance holds it (a spill takes
    /// milliseconds) the request waits for it instead.
    /// </summary>
    public async ValueTask<SessionEntry> EnterRequestAsync(CancellationToken cancellation)
    {
        while (true)
        {
            switch (Interlocked.CompareExchange(ref _gate, HeldByRequest, Free))
            {
                case Free: return SessionEntry.Entered;
                case HeldByRequest: return SessionEntry.Busy;
                case Removed: return SessionEntry.Removed;
            }
            await Task.Delay(1, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the gate for maintenance if nobody holds it.</summary>
    public bool TryEnterMaintenance() => Interlocked.CompareExchange(ref _gate, HeldByMaintenance, Free) == Free;

    /// <summary>Leaves the gate after a request; the session counts as used now.</summary>
    public void ExitRequest()
    {
        Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
        Volatile.Write(ref _gate, Free);
    }

    /// <summary>Leaves the gate after maintenance.</summary>
    public void ExitMaintenance() => Volatile.Write(ref _gate, Free);

    /// <summary>Closes the gate for good after the session was deleted (maintenance holder only).</summary>
    public void MarkRemoved() => Volatile.Write(ref _gate, Removed);

    /// <summary>Feeds <see cref="PendingToken"/> and returns the next-token logits (gate holder only, resident only).</summary>
    public ReadOnlySpan<float> FeedPending()
    {
        LlamaSession llama = _llama ?? throw new InvalidOperationException($"Session '{Id}' is spilled; restore it first.");
        ReadOnlySpan<float> logits = llama.Forward(PendingToken);
        Publish();
        return logits;
    }

    /// <summary>Sets the token to feed next (gate holder only).</summary>
    public void SetPending(int token) => PendingToken = token;

    /// <summary>Writes every cache to <paramref name="folder"/> (<see cref="CacheSpillFile"/>) and drops them from memory (maintenance holder only).</summary>
    public void SpillTo(string folder)
    {
        LlamaSession llama = _llama ?? throw new InvalidOperationException($"Session '{Id}' is already spilled.");
        Directory.CreateDirectory(folder);
        LlamaConfig p = llama.Model.Config;
        for (int l = 0; l < p.LayerCount; l++)
        {
            for (int h = 0; h < p.KvHeadCount; h++)
                CacheSpillFile.Save(CacheFile(folder, l, h), llama.Cache(l, h));
        }
        Volatile.Write(ref _llama, null);
        Volatile.Write(ref _cacheBytes, 0);
    }

    /// <summary>Loads the caches spilled to <paramref name="folder"/> into a new session and deletes the folder (gate holder only).</summary>
    /// <exception cref="InvalidDataException">A file is missing, corrupt, or holds another position than the session had.</exception>
    public void RestoreFrom(string folder, LlamaModel model)
    {
        if (IsResident) throw new InvalidOperationException($"Session '{Id}' is resident.");
        LlamaSession llama = model.CreateSession(Cache.Factory);
        LlamaConfig p = model.Config;
        for (int l = 0; l < p.LayerCount; l++)
        {
            for (int h = 0; h < p.KvHeadCount; h++)
                CacheSpillFile.Load(CacheFile(folder, l, h), llama.Cache(l, h));
        }
        llama.ResumeFromCaches();
        if (llama.Position != Position)
            throw new InvalidDataException($"Session '{Id}' was spilled at position {Position}, its files hold {llama.Position} tokens.");
        Directory.Delete(folder, recursive: true);
        Volatile.Write(ref _llama, llama);
        Publish();
    }

    private void Publish()
    {
        LlamaSession llama = _llama!;
        Volatile.Write(ref _position, llama.Position);
        Volatile.Write(ref _cacheBytes, llama.CacheBytes);
    }

    private static string CacheFile(string folder, int layer, int kvHead) => Path.Combine(folder, $"L{layer}H{kvHead}.kvc");
}
