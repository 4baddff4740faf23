using System;
using System.Diagnostics;
using System.IO;
using FibQuant.Llama;
using Xunit;
using Xunit.Abstractions;

namespace FibQuant.Llama.Tests;

/// <summary>Greedy generation must reproduce llama2.c run.c's output (stories260K-reference.md) exactly.</summary>
public sealed class ReferenceGenerationTests
{
    private readonly ITestOutputHelper _output;

    public ReferenceGenerationTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("Once upon a time")]
    [InlineData("Lily and Tom went to the park")]
    public void GreedyGenerationMatchesRunC(string prompt)
    {
        string expected = ReferenceBlock(prompt);
        LlamaSession session = TestData.Model.CreateFloat32Session();
        var watch = Stopwatch.StartNew();
        string actual = Generation.Greedy(session, TestData.Tokenizer, prompt, 200);
        watch.Stop();
        _output.WriteLine($"{session.Position} positions in {watch.Elapsed.TotalMilliseconds:F1} ms " +
                          $"({watch.Elapsed.TotalMilliseconds * 1000 / session.Position:F1} µs/token)");
        Assert.Equal(expected, actual);
        Assert.Equal(200, session.Position);
    }

    [Fact]
    public void GreedyGenerationIsRepeatableAfterReset()
    {
        LlamaSession session = TestData.Model.CreateFloat32Session();
        string first = Generation.Greedy(session, TestData.Tokenizer, "Once upon a time", 60);
        string second = Generation.Greedy(session, TestData.Tokenizer, "Once upon a time", 60);
        Assert.Equal(first, second);
        Assert.StartsWith("Once upon a time", first);
    }

    private static string ReferenceBlock(string prompt)
    {
        string text = File.ReadAllText(LlamaDataPaths.Resolve("stories260K-reference.md")).Replace("\r\n", "\n");
        int heading = text.IndexOf("## prompt: " + prompt + "\n", StringComparison.Ordinal);
        Assert.True(heading >= 0, $"no reference for prompt '{prompt}'");
        int open = text.IndexOf("```\n", heading, StringComparison.Ordinal) + 4;
        int close = text.IndexOf("\n```", open, StringComparison.Ordinal);
        return text.Substring(open, close - open);
    }
}
