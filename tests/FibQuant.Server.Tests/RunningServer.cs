using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FibQuant.Server.Hosting;
using FibQuant.Server.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FibQuant.Server.Tests;

/// <summary>The real server (Kestrel on a free 127.0.0.1 port) with its own spill folder, and a client for it.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, string spillDirectory)
    {
        _app = app;
        SpillDirectory = spillDirectory;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
    }

    public HttpClient Client { get; }

    public string SpillDirectory { get; }

    public SessionStore Store => _app.Services.GetRequiredService<SessionStore>();

    /// <summary>Starts a server with <paramref name="args"/> (port 0 and a fresh spill folder are added).</summary>
    public static async Task<RunningServer> StartAsync(params string[] args)
    {
        string spill = Path.Combine(Path.GetTempPath(), "fibquant-server-tests-" + Guid.NewGuid().ToString("N"));
        WebApplication app = ServerApp.Create(["--port", "0", "--spill-dir", spill, .. args]);
        await app.StartAsync();
        return new RunningServer(app, spill);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostJsonAsync(string path, string json, CancellationToken cancellation = default)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        HttpResponseMessage response = await Client.PostAsync(path, content, cancellation);
        return (response.StatusCode, await BodyAsync(response, cancellation), response);
    }

    /// <summary>Creates a session; asserts 201 and returns its id.</summary>
    public async Task<string> CreateAsync(string json)
    {
        var (status, body, _) = await PostJsonAsync("/sessions", json);
        Assert.True(status == HttpStatusCode.Created, $"create answered {(int)status}: {body}");
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Runs a generate request; on 200 returns the streamed tokens and the done event.</summary>
    public async Task<Generation> GenerateAsync(string id, string json, CancellationToken cancellation = default)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Client.PostAsync($"/sessions/{id}/generate", content, cancellation);
        string text = await response.Content.ReadAsStringAsync(cancellation);
        if (response.StatusCode != HttpStatusCode.OK) return new Generation(response.StatusCode, [], null, text, response.Headers.RetryAfter?.Delta);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var tokens = new List<int>();
        JsonElement? done = null;
        foreach (string block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string[] lines = block.Split('\n');
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            JsonElement data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone();
            if (lines[0] == "event: token") tokens.Add(data.GetProperty("token").GetInt32());
            else if (lines[0] == "event: done") done = data;
            else Assert.Fail($"unexpected event {lines[0]}");
        }
        Assert.NotNull(done);
        Assert.Equal(tokens.Count, done.Value.GetProperty("generated").GetInt32());
        return new Generation(response.StatusCode, tokens, done, text, null);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await BodyAsync(response, default);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Assert.False(Directory.Exists(SpillDirectory), "the server leaves its spill folder behind");
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        string text = await response.Content.ReadAsStringAsync(cancellation);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The outcome of one generate request.</summary>
    public sealed record Generation(HttpStatusCode Status, List<int> Tokens, JsonElement? Done, string Body, TimeSpan? RetryAfter)
    {
        public string Stop => Done!.Value.GetProperty("stop").GetString()!;
    }
}
