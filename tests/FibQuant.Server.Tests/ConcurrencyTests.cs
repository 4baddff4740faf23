using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FibQuant.Server.Sessions;

namespace FibQuant.Server.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task A_request_to_a_busy_session_gets_409_and_changes_nothing()
    {
        string create = Prompts.Create("Hello", Prompts.FibQuant2, Prompts.FibQuant2);
        await using RunningServer server = await RunningServer.StartAsync();
        string id = await server.CreateAsync(create);
        ServerSession session = server.Store.Get(id);

        // Hold the session's gate as a running request does.
        Assert.Equal(SessionEntry.Entered, await session.EnterRequestAsync(CancellationToken.None));
        RunningServer.Generation refused = await server.GenerateAsync(id, Prompts.Generate(5));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("one request at a time", refused.Body);
        Assert.Equal(HttpStatusCode.Conflict, (await server.Client.DeleteAsync($"/sessions/{id}")).StatusCode);
        Assert.False(server.Store.TrySpill(session));
        session.ExitRequest();

        RunningServer.Generation run = await server.GenerateAsync(id, Prompts.Generate(5));
        Assert.Equal(Reference.Start(create).Generate(5), run.Tokens);
        Assert.Equal(2, (await server.GetJsonAsync("/metrics")).GetProperty("conflicts409").GetInt64());
    }

    [Fact]
    public async Task A_request_that_reaches_a_deleted_session_gets_404_not_a_wait()
    {
        await using RunningServer server = await RunningServer.StartAsync();
        string id = await server.CreateAsync(Prompts.Create("Hello", Prompts.FibQuant2, Prompts.FibQuant2));
        ServerSession session = server.Store.Get(id);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/sessions/{id}")).StatusCode);

        Assert.Equal(SessionEntry.Removed, await session.EnterRequestAsync(CancellationToken.None));
        Assert.False(server.Store.TrySpill(session));
        Assert.Equal(HttpStatusCode.NotFound, (await server.GenerateAsync(id, Prompts.Generate(1))).Status);
    }

    /// <summary>
    /// Many sessions of every cache kind (mixed key/value formats included) decode in parallel, each also hit by duplicate
    /// concurrent requests, under a budget that forces sessions to spill and restore. Every session's accepted tokens, in order, must be
    /// exactly its own single-threaded reference: nothing lost, repeated or taken from another session.
    /// </summary>
    [Fact]
    public async Task Parallel_sessions_under_spill_pressure_lose_and_mix_up_nothing()
    {
        (string Keys, string Values)[] formats =
        [
            (Prompts.Fp16, Prompts.Fp16), (Prompts.Fp32, Prompts.Fp32), (Prompts.TurboQuant2, Prompts.TurboQuant2),
            (Prompts.FibQuant2, Prompts.FibQuant2), (Prompts.FibQuant1, Prompts.FibQuant1), (Prompts.Fp16, Prompts.FibQuant2),
            (Prompts.FibQuant1, Prompts.Fp32),
        ];
        string[] words = ["Once", "The king", "And God said", "Lily", "A dog", "Tom and Ben", "The sea", "Thou art"];
        const int sessions = 14, rounds = 3, tokensPerRound = 6;
        var creates = new string[sessions];
        for (int i = 0; i < sessions; i++)
        {
            var (keys, values) = formats[i % formats.Length];
            bool quantized = keys.Contains("quant") || values.Contains("quant");
            creates[i] = Prompts.Create(words[i % words.Length] + " " + i, keys, values, recentWindow: quantized ? i % 3 : 0);
        }

        // Room for every full-precision stream but only about half of the compressed ones at once.
        long fullPrecision = 0;
        for (int i = 0; i < sessions; i++)
        {
            var (keys, values) = formats[i % formats.Length];
            fullPrecision += 5L * 512 * (FullPrecisionBytes(keys) + FullPrecisionBytes(values));
        }
        await using RunningServer server = await RunningServer.StartAsync("--budget-bytes", (fullPrecision + 320_000).ToString(),
            "--spill-after-seconds", "0", "--retry-after-seconds", "1");
        var ids = new string[sessions];
        for (int i = 0; i < sessions; i++) ids[i] = await server.CreateAsync(creates[i]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var accepted = new List<List<int>>[sessions];
        int conflicts = 0, retries = 0;
        await Task.WhenAll(Enumerable.Range(0, sessions).Select(i => Task.Run(async () =>
        {
            accepted[i] = [];
            while (accepted[i].Count < rounds)
            {
                // Two requests at once to the same session: they run one after the other, or one gets 409.
                RunningServer.Generation[] pair = await Task.WhenAll(
                    server.GenerateAsync(ids[i], Prompts.Generate(tokensPerRound), timeout.Token),
                    server.GenerateAsync(ids[i], Prompts.Generate(tokensPerRound), timeout.Token));
                foreach (RunningServer.Generation g in pair)
                {
                    Assert.True(g.Status is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests,
                        $"session {i}: {(int)g.Status} {g.Body}");
                    if (g.Status == HttpStatusCode.Conflict) Interlocked.Increment(ref conflicts);
                    if (g.Status == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref retries);
                }
                // When both ran, the one that ended at the later position ran second.
                List<RunningServer.Generation> done = pair.Where(g => g.Status == HttpStatusCode.OK)
                    .OrderBy(g => g.Done!.Value.GetProperty("position").GetInt32()).ToList();
                accepted[i].AddRange(done.Select(g => g.Tokens));
                if (done.Count == 0) await Task.Delay(50, timeout.Token);
            }
        }, timeout.Token)));

        for (int i = 0; i < sessions; i++)
        {
            Assert.True(accepted[i].Count >= rounds, $"session {i} ran {accepted[i].Count} requests");
            Reference.Session expected = Reference.Start(creates[i]);
            foreach (List<int> answer in accepted[i]) Assert.Equal(expected.Generate(tokensPerRound), answer);
        }
        var metrics = await server.GetJsonAsync("/metrics");
        Assert.True(metrics.GetProperty("spills").GetInt64() > 0, "the budget forced no spill");
        Assert.True(metrics.GetProperty("restores").GetInt64() > 0, "no session was restored");
        Assert.Equal(accepted.Sum(a => a.Sum(answer => answer.Count)), metrics.GetProperty("tokens_generated").GetInt64());
        Assert.Equal(conflicts, metrics.GetProperty("conflicts409").GetInt64());
        Assert.Equal(retries, metrics.GetProperty("rejected429").GetInt64());
    }

    /// <summary>Bytes per token of an fp32 (256) or fp16 (128) stream of d = 64; 0 for a quantized one.</summary>
    private static long FullPrecisionBytes(string codec) => codec == Prompts.Fp32 ? 64 * 4 : codec == Prompts.Fp16 ? 64 * 2 : 0;
}
