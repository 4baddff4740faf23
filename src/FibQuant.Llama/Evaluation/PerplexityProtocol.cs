using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// The evaluation text protocol: the first <see cref="PrefixBytes"/> bytes of the text (backed off to a UTF-8
/// character boundary) are encoded once without BOS/EOS and cut into consecutive windows of
/// <see cref="WindowTokens"/> tokens (the last one may be shorter). Each window is fed after a BOS token from
/// position 0 with a fresh cache and every token of the window is predicted; perplexity = exp(mean NLL).
/// </summary>
public static class PerplexityProtocol
{
    /// <summary>Bytes of the text evaluated by default.</summary>
    public const int PrefixBytes = 20_000;

    /// <summary>Tokens per window.</summary>
    public const int WindowTokens = 256;

    /// <summary>Default evaluation text in the data folder.</summary>
    public const string TextFile = "tinystories-head.txt";

    /// <summary>
    /// The first <paramref name="maxBytes"/> bytes of <paramref name="path"/> (all of it when ≤ 0 or larger than the
    /// file), shortened to a UTF-8 character boundary and decoded.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static string ReadPrefix(string path, int maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Evaluation text not found: {Path.GetFullPath(path)}", path);
        byte[] bytes = File.ReadAllBytes(path);
        int length = maxBytes <= 0 || maxBytes >= bytes.Length ? bytes.Length : maxBytes;
        while (length > 0 && length < bytes.Length && (bytes[length] & 0xC0) == 0x80) length--;
        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    /// <summary>Reads the prefix (see <see cref="ReadPrefix"/>) and encodes it once without BOS or EOS.</summary>
    public static int[] EncodePrefix(LlamaTokenizer tokenizer, string path, int maxBytes = PrefixBytes)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return tokenizer.Encode(ReadPrefix(path, maxBytes), bos: false, eos: false);
    }

    /// <summary>
    /// Encodes a long text in consecutive chunks of about <paramref name="chunkChars"/> characters, each cut just after a
    /// blank line ("\n\n") and encoded without BOS/EOS exactly as the prefix is; the token lists are concatenated.
    /// Chunking keeps the tokenizer's pair merging (quadratic in the input length) fast on a whole file.
    /// </summary>
    public static int[] EncodeInChunks(LlamaTokenizer tokenizer, string text, int chunkChars = PrefixBytes)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkChars);
        var tokens = new List<int>(text.Length / 2);
        int start = 0;
        while (start < text.Length)
        {
            int end = text.Length;
            if (text.Length - start > chunkChars)
            {
                int cut = text.LastIndexOf("\n\n", start + chunkChars, chunkChars, StringComparison.Ordinal);
                end = cut > start ? cut + 2 : start + chunkChars;
            }

            tokens.AddRange(tokenizer.Encode(text.Substring(start, end - start), bos: false, eos: false));
            start = end;
        }

        return tokens.ToArray();
    }

    /// <summary>Consecutive windows of <paramref name="windowTokens"/> tokens; the last holds the remainder.</summary>
    /// <param name="tokens">The encoded text.</param>
    /// <param name="windowTokens">Tokens per window (≥ 1; at most the model's sequence length − 1 to fit the BOS).</param>
    /// <param name="maxWindows">Keep only the first windows (≤ 0: all).</param>
    public static IReadOnlyList<ReadOnlyMemory<int>> Windows(int[] tokens, int windowTokens = WindowTokens, int maxWindows = 0)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowTokens);
        var windows = new List<ReadOnlyMemory<int>>(tokens.Length / windowTokens + 1);
        for (int start = 0; start < tokens.Length && (maxWindows <= 0 || windows.Count < maxWindows); start += windowTokens)
            windows.Add(new ReadOnlyMemory<int>(tokens, start, Math.Min(windowTokens, tokens.Length - start)));
        return windows;
    }
}
