using System;
using System.IO;
using FibQuant.Llama;
using Xunit;

namespace FibQuant.Llama.Tests;

public sealed class TokenizerTests
{
    private static LlamaTokenizer Tok => TestData.Tokenizer;

    [Theory]
    [InlineData("Once upon a time")]
    [InlineData("Lily and Tom went to the park.\nThey saw a big dog!")]
    [InlineData("  two leading spaces, tabs\tand 123 digits")]
    [InlineData("café ☕ naïve")]
    public void EncodeThenDecodeRoundTrips(string text)
    {
        int[] tokens = Tok.Encode(text, bos: true, eos: false);
        Assert.Equal(LlamaTokenizer.Bos, tokens[0]);
        Assert.Equal(text, Tok.Decode(tokens));
    }

    [Fact]
    public void EmptyTextHasNoDummyPrefix()
    {
        Assert.Equal(new[] { LlamaTokenizer.Bos }, Tok.Encode("", bos: true, eos: false));
        Assert.Empty(Tok.Encode("", bos: false, eos: false));
        Assert.Equal(new[] { LlamaTokenizer.Bos, LlamaTokenizer.Eos }, Tok.Encode("", bos: true, eos: true));
    }

    [Fact]
    public void DummyPrefixMergesWithTheFirstWord()
    {
        int[] tokens = Tok.Encode("a", bos: false, eos: false);
        Assert.Single(tokens);
        Assert.Equal(" a", System.Text.Encoding.UTF8.GetString(Tok.Piece(tokens[0])));
    }

    [Fact]
    public void EncodingIsAFixedPointOfMerging()
    {
        // Merging stops only when no adjacent pair concatenates to a vocabulary entry.
        int[] tokens = Tok.Encode("Once upon a time, there was a little girl.", bos: false, eos: true);
        Assert.Equal(LlamaTokenizer.Eos, tokens[^1]);
        Assert.True(tokens.Length < 20, $"expected merging to compress 42 characters, got {tokens.Length} tokens");
        for (int i = 0; i + 2 < tokens.Length; i++)
        {
            string pair = System.Text.Encoding.Latin1.GetString(Tok.Piece(tokens[i])) + System.Text.Encoding.Latin1.GetString(Tok.Piece(tokens[i + 1]));
            for (int id = 0; id < Tok.VocabularySize; id++)
                Assert.NotEqual(pair, System.Text.Encoding.Latin1.GetString(Tok.Piece(id)));
        }
    }

    [Fact]
    public void UnknownCodePointsFallBackToBytes()
    {
        int[] tokens = Tok.Encode("☕", bos: false, eos: false);
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes("☕");
        Assert.Equal(utf8.Length + 1, tokens.Length);
        for (int i = 0; i < utf8.Length; i++) Assert.Equal(utf8[i] + 3, tokens[i + 1]);
    }

    [Fact]
    public void DecodeFollowsRunC()
    {
        int space = Tok.Encode("a", bos: false, eos: false)[0]; // " a"
        Assert.Equal("a", System.Text.Encoding.UTF8.GetString(Tok.DecodePiece(LlamaTokenizer.Bos, space)));
        Assert.Equal(" a", System.Text.Encoding.UTF8.GetString(Tok.DecodePiece(5, space)));
        Assert.Equal(new byte[] { 0x0A }, Tok.DecodePiece(LlamaTokenizer.Bos, 0x0A + 3).ToArray());
        Assert.True(LlamaTokenizer.IsPrintable("\n"u8));
        Assert.False(LlamaTokenizer.IsPrintable(new byte[] { 0xE2 }));
        Assert.False(LlamaTokenizer.IsPrintable(ReadOnlySpan<byte>.Empty));
        Assert.Equal("", Tok.Decode(Tok.Encode("☕", bos: true, eos: false), dropUnprintableBytes: true));
    }

    [Fact]
    public void TokenOutOfRangeThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tok.DecodePiece(0, Tok.VocabularySize));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Piece(-1));
    }

    [Fact]
    public void TruncatedTokenizerFileIsAClearError()
    {
        string dir = TestData.TempDirectory();
        try
        {
            byte[] full = File.ReadAllBytes(LlamaDataPaths.Resolve(LlamaDataPaths.Tokenizer512));
            string path = Path.Combine(dir, "tok-truncated.bin");
            File.WriteAllBytes(path, full.AsSpan(0, full.Length - 10).ToArray());
            var e = Assert.Throws<InvalidDataException>(() => LlamaTokenizer.Load(path, 512));
            Assert.Contains(path, e.Message);
            Assert.Contains("truncated", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MissingTokenizerNamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "tok.bin");
        var e = Assert.Throws<FileNotFoundException>(() => LlamaTokenizer.Load(path, 512));
        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }
}
