using System;
using System.IO;
using System.Text;
using FibQuant.Llama.Evaluation;
using Xunit;

namespace FibQuant.Llama.Tests.Evaluation;

public sealed class PerplexityProtocolTests
{
    [Fact]
    public void PrefixStopsAtACharacterBoundary()
    {
        string dir = TestData.TempDirectory();
        string path = Path.Combine(dir, "text.txt");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("abé cd"));   // 'é' is 2 bytes at offsets 2–3
        Assert.Equal("ab", PerplexityProtocol.ReadPrefix(path, 3));
        Assert.Equal("abé", PerplexityProtocol.ReadPrefix(path, 4));
        Assert.Equal("abé cd", PerplexityProtocol.ReadPrefix(path, 0));
        Assert.Equal("abé cd", PerplexityProtocol.ReadPrefix(path, 1000));
        Assert.Throws<FileNotFoundException>(() => PerplexityProtocol.ReadPrefix(Path.Combine(dir, "missing.txt"), 10));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void WindowsCoverTheTokensInOrder()
    {
        int[] tokens = new int[600];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = i;
        var windows = PerplexityProtocol.Windows(tokens, 256);
        Assert.Equal(3, windows.Count);
        Assert.Equal(256, windows[0].Length);
        Assert.Equal(88, windows[2].Length);
        Assert.Equal(256, windows[1].Span[0]);
        Assert.Equal(599, windows[2].Span[87]);
        Assert.Single(PerplexityProtocol.Windows(tokens, 256, maxWindows: 1));
    }

    [Fact]
    public void ChunkedEncodingMatchesOneEncodingWhenTheTextFitsAndCutsAtBlankLines()
    {
        LlamaTokenizer tok = TestData.Tokenizer;
        string text = PerplexityProtocol.ReadPrefix(LlamaDataPaths.Resolve(PerplexityProtocol.TextFile), 3000);
        Assert.Equal(tok.Encode(text, bos: false, eos: false), PerplexityProtocol.EncodeInChunks(tok, text, 5000));

        // Cut after the last blank line before 1000 characters: the first chunk is encoded on its own.
        int cut = text.LastIndexOf("\n\n", 1000, 1000, StringComparison.Ordinal) + 2;
        Assert.True(cut > 2);
        int[] first = tok.Encode(text[..cut], bos: false, eos: false);
        int[] chunked = PerplexityProtocol.EncodeInChunks(tok, text, 1000);
        Assert.Equal(first, chunked.AsSpan(0, first.Length).ToArray());
        int whole = tok.Encode(text, bos: false, eos: false).Length;
        Assert.InRange(chunked.Length, whole - whole / 20, whole + whole / 20);   // a dummy-prefix space per chunk, merges at cuts
    }

    [Fact]
    public void Float32PerplexityUnderTheProtocolIsTheKnownValue()
    {
        // Measured once with this protocol (first 20 000 bytes of tinystories-head.txt, 256-token windows after BOS).
        Assert.Equal(9496, EvaluationData.Tokens.Length);
        var windows = PerplexityProtocol.Windows(EvaluationData.Tokens);
        Assert.Equal(38, windows.Count);
        ModelEvaluation fp32 = ModelEvaluator.Evaluate(TestData.Model, windows, KvCacheConfiguration.Float32.CreateFactory(EvaluationData.Codecs), compareAttention: false);
        Assert.Equal(9496, fp32.PredictedTokens);
        Assert.Equal(Float32Perplexity, fp32.Perplexity, 1e-6);
        Assert.Equal(fp32.Float16Bytes * 2, fp32.CacheBytes);
    }

    /// <summary>The fp32 perplexity of stories260K under the protocol.</summary>
    internal const double Float32Perplexity = 4.724206060837335;
}
