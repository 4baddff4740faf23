using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using FibQuant.Server.Sessions;

namespace FibQuant.Server.Tests;

public sealed class SpillTests
{
    [Theory]
    [InlineData(Prompts.FibQuant2, Prompts.FibQuant2, 0, 0f)]
    [InlineData(Prompts.FibQuant1, Prompts.TurboQuant2, 6, 0f)]
    [InlineData(Prompts.TurboQuant2, Prompts.FibQuant2, 3, 0.9f)]
    [InlineData(Prompts.Fp16, Prompts.FibQuant2, 0, 0f)]
    [InlineData(Prompts.FibQuant2, Prompts.Fp32, 5, 0.9f)]
    [InlineData(Prompts.Fp16, Prompts.TurboQuant2, 4, 0f)]
    [InlineData(Prompts.Fp16, Prompts.Fp16, 0, 0.9f)]
    [InlineData(Prompts.Fp32, Prompts.Fp16, 0, 0f)]
    public async Task A_spilled_session_continues_token_for_token_as_without_the_spill(string keys, string values, int window, float temperature)
    {
        string create = Prompts.Create("Once upon a time", keys, values, window);
        await using RunningServer server = await RunningServer.StartAsync("--spill-after-seconds", "0");
        string spilled = await server.CreateAsync(create), kept = await server.CreateAsync(create);

        RunningServer.Generation spilledBefore = await server.GenerateAsync(spilled, Prompts.Generate(12, temperature, seed: 1));
        RunningServer.Generation keptBefore = await server.GenerateAsync(kept, Prompts.Generate(12, temperature, seed: 1));

        ServerSession session = server.Store.Get(spilled);
        Assert.True(server.Store.TrySpill(session));
        Assert.False((await server.GetJsonAsync($"/sessions/{spilled}")).GetProperty("resident").GetBoolean());
        Assert.Equal(0, (await server.GetJsonAsync($"/sessions/{spilled}")).GetProperty("cache_bytes").GetInt64());
        Assert.Equal(5, Directory.GetFiles(Path.Combine(server.SpillDirectory, spilled), "*.kvc").Length);

        RunningServer.Generation spilledAfter = await server.GenerateAsync(spilled, Prompts.Generate(30, temperature, seed: 2));
        RunningServer.Generation keptAfter = await server.GenerateAsync(kept, Prompts.Generate(30, temperature, seed: 2));

        Assert.Equal(HttpStatusCode.OK, spilledAfter.Status);
        Assert.Equal(keptBefore.Tokens.Concat(keptAfter.Tokens), spilledBefore.Tokens.Concat(spilledAfter.Tokens));
        Reference.Session expected = Reference.Start(create);
        Assert.Equal(expected.Generate(12, temperature, 1), spilledBefore.Tokens);
        Assert.Equal(expected.Generate(30, temperature, 2), spilledAfter.Tokens);
        Assert.False(Directory.Exists(Path.Combine(server.SpillDirectory, spilled)));
        Assert.True((await server.GetJsonAsync($"/sessions/{spilled}")).GetProperty("resident").GetBoolean());
    }

    [Fact]
    public async Task Idle_sessions_are_spilled_in_the_background()
    {
        await using RunningServer server = await RunningServer.StartAsync("--spill-after-seconds", "1");
        string id = await server.CreateAsync(Prompts.Create("Hello", Prompts.FibQuant2, Prompts.FibQuant2));
        var deadline = System.DateTime.UtcNow.AddSeconds(30);
        while ((await server.GetJsonAsync($"/sessions/{id}")).GetProperty("resident").GetBoolean())
        {
            Assert.True(System.DateTime.UtcNow < deadline, "the idle session was not spilled within 30 s");
            await Task.Delay(100);
        }
        Assert.Equal(0, (await server.GetJsonAsync("/metrics")).GetProperty("reserved_bytes").GetInt64());
    }
}
