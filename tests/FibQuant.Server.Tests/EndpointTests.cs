using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using FibQuant.Llama;

namespace FibQuant.Server.Tests;

public sealed class EndpointTests
{
    [Fact]
    public async Task Health_names_the_model_and_its_context()
    {
        await using RunningServer server = await RunningServer.StartAsync();
        JsonElement health = await server.GetJsonAsync("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.EndsWith("hd64.bin", health.GetProperty("model").GetString());
        Assert.Equal(512, health.GetProperty("sequence_length").GetInt32());
        Assert.Equal(64, health.GetProperty("head_dimension").GetInt32());
    }

    [Fact]
    public async Task Greedy_fp32_generation_is_run_c_token_for_token()
    {
        const string prompt = "Once upon a time";
        const int generate = 40;
        await using RunningServer server = await RunningServer.StartAsync();
        string id = await server.CreateAsync(Prompts.Create(prompt, Prompts.Fp32, Prompts.Fp32));
        RunningServer.Generation first = await server.GenerateAsync(id, Prompts.Generate(15));
        RunningServer.Generation second = await server.GenerateAsync(id, Prompts.Generate(generate - 15));

        // Generation.Greedy reproduces llama2.c run.c -t 0 (tested in FibQuant.Llama.Tests); it records the forced
        // prompt tokens and then the generated ones.
        int promptTokens = Reference.Tokenizer.Encode(prompt, bos: true, eos: false).Length;
        var emitted = new List<int>();
        FibQuant.Llama.Generation.Greedy(Reference.Model.CreateFloat32Session(), Reference.Tokenizer, prompt, promptTokens - 1 + generate, emitted);
        List<int> expected = emitted.Skip(promptTokens - 1).ToList();

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("length", second.Stop);
        Assert.Equal(expected, first.Tokens.Concat(second.Tokens).ToList());
        Assert.Equal(promptTokens - 1 + generate, second.Done!.Value.GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task Sampled_generation_follows_the_seed()
    {
        string create = Prompts.Create("The king said", Prompts.FibQuant2, Prompts.TurboQuant2, recentWindow: 4);
        await using RunningServer server = await RunningServer.StartAsync();
        string id = await server.CreateAsync(create);
        RunningServer.Generation a = await server.GenerateAsync(id, Prompts.Generate(12, temperature: 0.8f, seed: 42));
        RunningServer.Generation b = await server.GenerateAsync(id, Prompts.Generate(12, temperature: 1.2f, seed: 7));

        Reference.Session expected = Reference.Start(create);
        Assert.Equal(expected.Generate(12, 0.8f, 42), a.Tokens);
        Assert.Equal(expected.Generate(12, 1.2f, 7), b.Tokens);
    }

    [Fact]
    public async Task Cache_bytes_are_the_caches_own_and_stay_within_the_reservation()
    {
        await using RunningServer server = await RunningServer.StartAsync();
        string id = await server.CreateAsync(Prompts.Create("Once upon a time", Prompts.FibQuant2, Prompts.FibQuant2, recentWindow: 8, maxContext: 30));
        RunningServer.Generation run = await server.GenerateAsync(id, Prompts.Generate(100));
        Assert.Equal("context", run.Stop);

        JsonElement info = await server.GetJsonAsync($"/sessions/{id}");
        Assert.Equal(30, info.GetProperty("position").GetInt32());
        // 5 layers × 1 KV head; per token and stream an fp16 norm + 32 four-bit codes = 18 bytes; the last 8 tokens
        // also in fp32 (2 · 64 · 4 bytes each).
        long expected = 5 * (30 * 2 * 18 + 8 * 2 * 64 * 4);
        Assert.Equal(expected, info.GetProperty("cache_bytes").GetInt64());
        Assert.Equal(expected, info.GetProperty("reserved_bytes").GetInt64());
        // The same count from real caches of these settings holding 30 tokens.
        LlamaSession real = Reference.Model.CreateSession(server.Store.Get(id).Cache.Factory);
        for (int t = 0; t < 30; t++) real.Forward(1 + t);
        Assert.Equal(expected, real.CacheBytes);

        JsonElement metrics = await server.GetJsonAsync("/metrics");
        Assert.Equal(expected, metrics.GetProperty("cache_bytes").GetInt64());
        Assert.Equal(expected, metrics.GetProperty("cache_bytes_by_format").GetProperty(info.GetProperty("cache").GetString()!).GetInt64());
        Assert.Equal(30 - 4, metrics.GetProperty("tokens_generated").GetInt64());
        Assert.True(metrics.GetProperty("p50_ms_per_token").GetDouble() > 0);
        Assert.True(metrics.GetProperty("p99_ms_per_token").GetDouble() >= metrics.GetProperty("p50_ms_per_token").GetDouble());
    }

    [Fact]
    public async Task Delete_frees_the_reservation_and_forgets_the_session()
    {
        await using RunningServer server = await RunningServer.StartAsync();
        string id = await server.CreateAsync(Prompts.Create("Hello", Prompts.Fp16, Prompts.Fp16));
        Assert.Equal(5L * 512 * 2 * 64 * 2, (await server.GetJsonAsync("/metrics")).GetProperty("reserved_bytes").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/sessions/{id}")).StatusCode);
        Assert.Equal(0, (await server.GetJsonAsync("/metrics")).GetProperty("reserved_bytes").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/sessions/{id}")).StatusCode);
    }
}
