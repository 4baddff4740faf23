using System.Collections.Generic;

namespace FibQuant.Server.Api;

/// <summary>One stream's codec in a request: <c>{"codec": "fibquant", "k": 2, "n": 16}</c>, <c>{"codec": "turboquant", "bits": 2}</c>, <c>{"codec": "fp16"}</c>.</summary>
internal sealed class CodecRequest
{
    /// <summary>fp32, fp16, turboquant or fibquant.</summary>
    public string? Codec { get; set; }

    /// <summary>TurboQuant bits per coordinate.</summary>
    public int? Bits { get; set; }

    /// <summary>FibQuant block size.</summary>
    public int? K { get; set; }

    /// <summary>FibQuant codeword count.</summary>
    public int? N { get; set; }

    /// <summary>haar (default) or hadamard.</summary>
    public string? Rotation { get; set; }
}

/// <summary>Body of <c>POST /sessions</c>.</summary>
internal sealed class CreateSessionRequest
{
    /// <summary>Prompt text; encoded with BOS and fed before the first generated token.</summary>
    public string? Prompt { get; set; }

    /// <summary>Codec of the keys (fp16 when absent).</summary>
    public CodecRequest? Keys { get; set; }

    /// <summary>Codec of the values (fp16 when absent).</summary>
    public CodecRequest? Values { get; set; }

    /// <summary>Most recent tokens kept in fp32 besides their codes (quantized caches only).</summary>
    public int RecentWindow { get; set; }

    /// <summary>Most tokens the session will hold (prompt included); the model's sequence length when absent.</summary>
    public int? MaxContext { get; set; }
}

/// <summary>Body of <c>POST /sessions/{id}/generate</c>.</summary>
internal sealed class GenerateRequest
{
    /// <summary>Tokens to generate, 1 … the model's sequence length.</summary>
    public int MaxTokens { get; set; } = 16;

    /// <summary>0: greedy; otherwise softmax sampling at this temperature.</summary>
    public float Temperature { get; set; }

    /// <summary>Seed of the sampler (used when the temperature is positive).</summary>
    public ulong Seed { get; set; }
}

/// <summary>A session as the API shows it.</summary>
internal sealed record SessionInfo(string Id, string Cache, int Position, int MaxContext, int PromptTokens, bool Resident,
    long CacheBytes, long ReservedBytes);

/// <summary>One generated token, sent as a server-sent event.</summary>
internal sealed record TokenEvent(int Token, string Text, int Position);

/// <summary>The last event of a generation: how many tokens and why it stopped (length, bos, context).</summary>
internal sealed record DoneEvent(int Generated, string Stop, int Position);

/// <summary>Body of every 4xx answer.</summary>
internal sealed record ErrorBody(int Status, string Error);

/// <summary><c>GET /health</c>.</summary>
internal sealed record HealthInfo(string Status, string Model, int SequenceLength, int HeadDimension);

/// <summary><c>GET /metrics</c>.</summary>
internal sealed record MetricsSnapshot(
    int Sessions, int ResidentSessions, int SpilledSessions, long BudgetBytes, long ReservedBytes, long CacheBytes,
    Dictionary<string, long> CacheBytesByFormat, long TokensGenerated, double TokensPerSecond, double P50MsPerToken,
    double P99MsPerToken, int TimedTokens, long Rejected429, long Conflicts409, long BadRequests, long Spills, long Restores);
