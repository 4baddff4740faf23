using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;
using FibQuant.Llama;
using FibQuant.Server.Hosting;
using FibQuant.Server.Metrics;
using FibQuant.Server.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FibQuant.Server.Api;

/// <summary>
/// <c>POST /sessions</c> (create: prompt and cache settings), <c>GET /sessions/{id}</c>, <c>DELETE /sessions/{id}</c>
/// and <c>POST /sessions/{id}/generate</c> (tokens streamed as server-sent events).
/// </summary>
internal static class SessionEndpoints
{
    /// <summary>Highest sampling temperature accepted (beyond it sampling is uniform noise).</summary>
    public const float MaxTemperature = 100;

    /// <summary>Maps the session routes.</summary>
    public static void Map(IEndpointRouteBuilder app, SessionStore store, ModelHost host, ServerMetrics metrics)
    {
        app.MapPost("/sessions", (HttpContext context) => CreateAsync(context, store));
        app.MapGet("/sessions/{id}", (string id, HttpContext context) =>
            HttpJson.WriteAsync(context, StatusCodes.Status200OK, Info(store.Get(id)), ServerJsonContext.Default.SessionInfo));
        app.MapDelete("/sessions/{id}", (string id, HttpContext context) =>
        {
            store.Delete(id);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapPost("/sessions/{id}/generate", (string id, HttpContext context) => GenerateAsync(id, context, store, host, metrics));
    }

    private static async Task CreateAsync(HttpContext context, SessionStore store)
    {
        CreateSessionRequest request = await HttpJson.ReadAsync(context, ServerJsonContext.Default.CreateSessionRequest).ConfigureAwait(false);
        ServerSession session = store.Create(request);
        context.Response.Headers.Location = "/sessions/" + session.Id;
        await HttpJson.WriteAsync(context, StatusCodes.Status201Created, Info(session), ServerJsonContext.Default.SessionInfo).ConfigureAwait(false);
    }

    private static async Task GenerateAsync(string id, HttpContext context, SessionStore store, ModelHost host, ServerMetrics metrics)
    {
        GenerateRequest request = await HttpJson.ReadAsync(context, ServerJsonContext.Default.GenerateRequest).ConfigureAwait(false);
        if (request.MaxTokens < 1 || request.MaxTokens > host.SequenceLength)
            throw RequestException.BadRequest($"max_tokens must be in [1, {host.SequenceLength}] (the model's context), got {request.MaxTokens}.");
        if (!float.IsFinite(request.Temperature) || request.Temperature < 0 || request.Temperature > MaxTemperature)
            throw RequestException.BadRequest($"temperature must be in [0, {MaxTemperature}] (0: greedy), got {request.Temperature}.");

        ServerSession session = store.Get(id);
        switch (await session.EnterRequestAsync(context.RequestAborted).ConfigureAwait(false))
        {
            case SessionEntry.Busy: throw RequestException.Busy(id);
            case SessionEntry.Removed: throw RequestException.NotFound(id);
        }
        try
        {
            store.EnsureResident(session);
            var sampler = new TokenSampler(request.Temperature, request.Seed, host.Model.Config.VocabularySize);
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            using var events = new ServerSentEventWriter(context.Response.BodyWriter);

            int generated = 0;
            string stop = "length";
            while (generated < request.MaxTokens)
            {
                if (session.Position >= session.MaxContext)
                {
                    stop = "context";
                    break;
                }
                long started = Stopwatch.GetTimestamp();
                int previous = session.PendingToken;
                int next = sampler.Next(session.FeedPending());
                double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                session.SetPending(next);
                if (next == LlamaTokenizer.Bos)
                {
                    stop = "bos";
                    break;
                }
                metrics.RecordToken(milliseconds);
                generated++;
                string text = Encoding.UTF8.GetString(host.Tokenizer.DecodePiece(previous, next));
                await events.WriteAsync("token", new TokenEvent(next, text, session.Position), ServerJsonContext.Default.TokenEvent,
                    context.RequestAborted).ConfigureAwait(false);
            }
            await events.WriteAsync("done", new DoneEvent(generated, stop, session.Position), ServerJsonContext.Default.DoneEvent,
                context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            session.ExitRequest();
        }
    }

    private static SessionInfo Info(ServerSession s) =>
        new(s.Id, s.Cache.Label, s.Position, s.MaxContext, s.PromptTokens, s.IsResident, s.CacheBytes, s.ReservedBytes);
}
