using System.Text.Json.Serialization;

namespace FibQuant.Server.Api;

/// <summary>
/// Source-generated JSON for every request and answer (NativeAOT has no reflection-based serializer). Names are
/// snake_case; an unknown property is an error, so a misspelt option is reported instead of silently ignored.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CreateSessionRequest))]
[JsonSerializable(typeof(GenerateRequest))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(TokenEvent))]
[JsonSerializable(typeof(DoneEvent))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(HealthInfo))]
[JsonSerializable(typeof(MetricsSnapshot))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
