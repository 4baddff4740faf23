using System;
using System.IO;
using FibQuant.Llama;
using Xunit;

namespace FibQuant.Llama.Tests;

public sealed class NllTests
{
    [Fact]
    public void LogSoftmaxIsStableAndNormalised()
    {
        float[] logits = { 1000f, 0f, -1000f };
        Assert.Equal(0.0, Generation.LogSoftmaxAt(logits, 0), 12);
        Assert.Equal(-1000.0, Generation.LogSoftmaxAt(logits, 1), 9);
        float[] small = { 0.5f, -1.25f, 2f, 0f };
        double total = 0;
        for (int i = 0; i < small.Length; i++) total += Math.Exp(Generation.LogSoftmaxAt(small, i));
        Assert.Equal(1.0, total, 12);
        Assert.Equal(-Math.Log(4), Generation.LogSoftmaxAt(new float[4], 2), 12);
    }

    [Fact]
    public void TeacherForcedNllMatchesTheLogitsAndRanksText()
    {
        LlamaTokenizer tok = TestData.Tokenizer;
        LlamaSession session = TestData.Model.CreateFloat32Session();
        string story = File.ReadAllText(LlamaDataPaths.Resolve("tinystories-head.txt")).Substring(0, 600);
        int[] tokens = tok.Encode(story, bos: true, eos: false);
        NllResult result = Generation.NegativeLogLikelihood(session, tokens);
        Assert.Equal(tokens.Length - 1, result.TokenCount);
        Assert.InRange(result.Perplexity, 1.0, 20.0); // far below uniform (512) on in-domain text

        // Reversing the words makes the text much less likely.
        string[] words = story.Split(' ');
        Array.Reverse(words);
        NllResult shuffled = Generation.NegativeLogLikelihood(session, tok.Encode(string.Join(' ', words), bos: true, eos: false));
        Assert.True(shuffled.MeanNll > result.MeanNll + 0.5, $"{shuffled.MeanNll} vs {result.MeanNll}");

        // The first term equals the log-softmax of the logits after BOS.
        session.Reset();
        double first = -Generation.LogSoftmaxAt(session.Forward(tokens[0]), tokens[1]);
        Assert.Equal(first, Generation.NegativeLogLikelihood(session, tokens.AsSpan(0, 2)).TotalNll, 12);
    }

    [Fact]
    public void NllRejectsUnusableSequences()
    {
        LlamaSession session = TestData.Model.CreateFloat32Session();
        Assert.Throws<ArgumentException>(() => Generation.NegativeLogLikelihood(session, new[] { 1 }));
        Assert.Throws<ArgumentException>(() => Generation.NegativeLogLikelihood(session, new int[513]));
    }
}
