using System.Net;
using System.Text.Json;
using System.Threading.Tasks;

namespace FibQuant.Server.Tests;

public sealed class BudgetTests
{
    // A session reserves its caches' bytes at max_context (512) tokens; 5 layers × 1 KV head of d = 64.
    private const long Fp16Session = 5L * 512 * 2 * 64 * 2;          // 655 360
    private const long FibQuant2Session = 5L * 512 * 2 * (2 + 16);   // 92 160: fp16 norm + 32 four-bit codes per stream

    [Fact]
    public async Task A_session_beyond_the_budget_gets_429_with_retry_after()
    {
        await using RunningServer server = await RunningServer.StartAsync("--budget-bytes", (2 * Fp16Session).ToString(), "--spill", "off",
            "--retry-after-seconds", "3");
        string first = await server.CreateAsync(Prompts.Create("One", Prompts.Fp16, Prompts.Fp16));
        await server.CreateAsync(Prompts.Create("Two", Prompts.Fp16, Prompts.Fp16));

        var (status, error, response) = await server.PostJsonAsync("/sessions", Prompts.Create("Three", Prompts.Fp16, Prompts.Fp16));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(3, response.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        Assert.Contains($"needs {Fp16Session}", error.GetProperty("error").GetString());

        // The memory one fp16 session held admits seven FibQuant b = 2 sessions, not eight.
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/sessions/{first}")).StatusCode);
        Assert.Equal(7, Fp16Session / FibQuant2Session);
        for (int i = 0; i < 7; i++)
        {
            string id = await server.CreateAsync(Prompts.Create("Small", Prompts.FibQuant2, Prompts.FibQuant2));
            Assert.Equal(FibQuant2Session, (await server.GetJsonAsync($"/sessions/{id}")).GetProperty("reserved_bytes").GetInt64());
        }
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await server.PostJsonAsync("/sessions", Prompts.Create("Small", Prompts.FibQuant2, Prompts.FibQuant2))).Status);

        JsonElement metrics = await server.GetJsonAsync("/metrics");
        Assert.Equal(8, metrics.GetProperty("sessions").GetInt32());
        Assert.Equal(Fp16Session + 7 * FibQuant2Session, metrics.GetProperty("reserved_bytes").GetInt64());
        Assert.Equal(2, metrics.GetProperty("rejected429").GetInt64());
    }

    [Fact]
    public async Task Under_pressure_idle_compressed_sessions_are_spilled_to_admit_new_ones()
    {
        await using RunningServer server = await RunningServer.StartAsync("--budget-bytes", (2 * FibQuant2Session).ToString(),
            "--spill-after-seconds", "0");
        string a = await server.CreateAsync(Prompts.Create("Alpha", Prompts.FibQuant2, Prompts.FibQuant2));
        string b = await server.CreateAsync(Prompts.Create("Beta", Prompts.FibQuant2, Prompts.FibQuant2));
        string c = await server.CreateAsync(Prompts.Create("Gamma", Prompts.FibQuant2, Prompts.FibQuant2));

        // a, the least recently used, made room for c.
        Assert.False((await server.GetJsonAsync($"/sessions/{a}")).GetProperty("resident").GetBoolean());
        Assert.True((await server.GetJsonAsync($"/sessions/{b}")).GetProperty("resident").GetBoolean());
        Assert.True((await server.GetJsonAsync($"/sessions/{c}")).GetProperty("resident").GetBoolean());

        // Using a brings it back and spills b in turn.
        Assert.Equal(HttpStatusCode.OK, (await server.GenerateAsync(a, Prompts.Generate(3))).Status);
        Assert.True((await server.GetJsonAsync($"/sessions/{a}")).GetProperty("resident").GetBoolean());
        Assert.False((await server.GetJsonAsync($"/sessions/{b}")).GetProperty("resident").GetBoolean());

        // An fp16 session needs more than the whole budget, so spilling cannot make room: 429, and nothing else changed.
        var (status, _, _) = await server.PostJsonAsync("/sessions", Prompts.Create("Big", Prompts.Fp16, Prompts.Fp16));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        JsonElement metrics = await server.GetJsonAsync("/metrics");
        Assert.Equal(3, metrics.GetProperty("sessions").GetInt32());
        Assert.Equal(2 * FibQuant2Session, metrics.GetProperty("reserved_bytes").GetInt64());
        Assert.Equal(2, metrics.GetProperty("spills").GetInt64());
        Assert.Equal(1, metrics.GetProperty("restores").GetInt64());
    }
}
