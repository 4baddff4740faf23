using System;
using System.Collections.Generic;
using FibQuant.Server.Hosting;
using FibQuant.Server.Metrics;
using FibQuant.Server.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FibQuant.Server.Api;

/// <summary><c>GET /health</c> and <c>GET /metrics</c>.</summary>
internal static class StatusEndpoints
{
    /// <summary>Maps the status routes.</summary>
    public static void Map(IEndpointRouteBuilder app, SessionStore store, ModelHost host, ServerMetrics metrics)
    {
        app.MapGet("/health", () => Results.Json(new HealthInfo("ok", host.ModelPath, host.SequenceLength, host.Model.Config.HeadSize),
            ServerJsonContext.Default.HealthInfo));
        app.MapGet("/metrics", () => Results.Json(Snapshot(store, metrics), ServerJsonContext.Default.MetricsSnapshot));
    }

    /// <summary>The server's metrics now; cache bytes are what each session's request thread last published.</summary>
    public static MetricsSnapshot Snapshot(SessionStore store, ServerMetrics metrics)
    {
        int sessions = 0, resident = 0;
        long cacheBytes = 0;
        var byFormat = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (ServerSession session in store.Sessions)
        {
            sessions++;
            if (!session.IsResident) continue;
            resident++;
            long bytes = session.CacheBytes;
            cacheBytes += bytes;
            byFormat[session.Cache.Label] = byFormat.GetValueOrDefault(session.Cache.Label) + bytes;
        }
        Span<double> quantiles = stackalloc double[2];
        int timed = metrics.TokenTimeQuantiles([0.5, 0.99], quantiles);
        return new MetricsSnapshot(sessions, resident, sessions - resident, store.Budget.CapacityBytes, store.Budget.ReservedBytes,
            cacheBytes, byFormat, metrics.TokensGenerated, metrics.TokensPerSecond(), quantiles[0], quantiles[1], timed,
            metrics.Rejected429, metrics.Conflicts409, metrics.BadRequests, metrics.Spills, metrics.Restores);
    }
}
