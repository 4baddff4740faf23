using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;

namespace FibQuant.Server.Tests;

public sealed class BadRequestTests
{
    public static TheoryData<string, string> BadCreates => new()
    {
        { "{\"prompt\": \"Once\", ", "Malformed JSON" },
        { "not json", "Malformed JSON" },
        { "null", "JSON object" },
        { "{\"prompt\":\"x\",\"max_tokens\":3}", "max_tokens" },
        { "{\"keys\":{\"codec\":\"fp16\"}}", "prompt is required" },
        { "{\"prompt\":\"" + string.Concat(Enumerable.Repeat("and the king said unto them ", 120)) + "\"}", "max_context is 512" },
        { "{\"prompt\":\"Once upon a time there was\",\"max_context\":4}", "max_context is 4" },
        { "{\"prompt\":\"x\",\"max_context\":513}", "max_context must be in [1, 512]" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"zip\"},\"values\":{\"codec\":\"fp16\"}}", "keys.codec 'zip' is unknown" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"fibquant\",\"k\":3,\"n\":16},\"values\":{\"codec\":\"fibquant\",\"k\":3,\"n\":16}}", "keys:" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"fibquant\",\"k\":2,\"n\":4096},\"values\":{\"codec\":\"fp16\"}}", "keys.n must be in [2, 256]" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"fibquant\",\"k\":2},\"values\":{\"codec\":\"fp16\"}}", "keys.n is required" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"turboquant\",\"bits\":12},\"values\":{\"codec\":\"fp16\"}}", "keys.bits must be in [1, 8]" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"turboquant\",\"bits\":2,\"rotation\":\"spin\"},\"values\":{\"codec\":\"fp16\"}}", "keys.rotation 'spin'" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"fp16\"},\"values\":{\"codec\":\"fibquant\",\"k\":3,\"n\":16}}", "values: blockSize 3 must divide dimension 64" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"fp32\"},\"values\":{\"codec\":\"zip\"}}", "values.codec 'zip' is unknown" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"fp16\"},\"values\":{\"codec\":\"fp32\"},\"recent_window\":8}", "recent_window applies to quantized caches only" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"fp16\"},\"values\":{\"codec\":\"fp16\"},\"recent_window\":8}", "recent_window applies to quantized caches only" },
        { "{\"prompt\":\"x\",\"keys\":{\"codec\":\"turboquant\",\"bits\":2},\"values\":{\"codec\":\"turboquant\",\"bits\":2},\"recent_window\":-1}", "recent_window must be in [0, 512]" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task A_bad_create_is_a_400_that_names_the_problem(string body, string message)
    {
        await using RunningServer server = await RunningServer.StartAsync();
        var (status, error, _) = await server.PostJsonAsync("/sessions", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Contains(message, error.GetProperty("error").GetString());
        Assert.Equal(0, (await server.GetJsonAsync("/metrics")).GetProperty("sessions").GetInt32());
    }

    [Fact]
    public async Task Bad_requests_get_4xx_and_leave_other_sessions_undisturbed()
    {
        string create = Prompts.Create("And God said", Prompts.FibQuant2, Prompts.FibQuant2, recentWindow: 4);
        await using RunningServer server = await RunningServer.StartAsync();
        string id = await server.CreateAsync(create);
        RunningServer.Generation before = await server.GenerateAsync(id, Prompts.Generate(10));

        (string Path, string Body, HttpStatusCode Status, string Message)[] bad =
        [
            ($"/sessions/{id}/generate", "{\"max_tokens\":-1}", HttpStatusCode.BadRequest, "max_tokens must be in [1, 512]"),
            ($"/sessions/{id}/generate", "{\"max_tokens\":100000}", HttpStatusCode.BadRequest, "max_tokens must be in [1, 512]"),
            ($"/sessions/{id}/generate", "{\"max_tokens\":0}", HttpStatusCode.BadRequest, "max_tokens must be in [1, 512]"),
            ($"/sessions/{id}/generate", "{\"max_tokens\":\"many\"}", HttpStatusCode.BadRequest, "Malformed JSON"),
            ($"/sessions/{id}/generate", "{\"max_tokens\":5,\"temperature\":-1}", HttpStatusCode.BadRequest, "temperature must be in [0, 100]"),
            ($"/sessions/{id}/generate", "{\"max_tokens\":5,\"top_k\":3}", HttpStatusCode.BadRequest, "Malformed JSON"),
            ($"/sessions/{id}/generate", "{\"max_tokens\":", HttpStatusCode.BadRequest, "Malformed JSON"),
            ("/sessions/0123456789abcdef/generate", "{\"max_tokens\":5}", HttpStatusCode.NotFound, "No session '0123456789abcdef'"),
        ];
        foreach (var (path, body, status, message) in bad)
        {
            var (answered, error, _) = await server.PostJsonAsync(path, body);
            Assert.Equal(status, answered);
            Assert.Contains(message, error.GetProperty("error").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/sessions/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.DeleteAsync("/sessions/nope")).StatusCode);

        RunningServer.Generation after = await server.GenerateAsync(id, Prompts.Generate(10));
        Reference.Session expected = Reference.Start(create);
        Assert.Equal(expected.Generate(10), before.Tokens);
        Assert.Equal(expected.Generate(10), after.Tokens);
        JsonElement metrics = await server.GetJsonAsync("/metrics");
        Assert.Equal(bad.Length + 2, metrics.GetProperty("bad_requests").GetInt64());
        Assert.Equal(before.Tokens.Count + after.Tokens.Count, metrics.GetProperty("tokens_generated").GetInt64());
    }
}
