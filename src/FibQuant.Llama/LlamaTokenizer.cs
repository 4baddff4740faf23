using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FibQuant.Llama;

/// <summary>
/// The llama2.c byte-level BPE tokenizer (<c>tokenizer.bin</c> format: int32 max_token_length, then per token a
/// float32 merge score, an int32 byte length and the bytes). Encoding and decoding follow <c>run.c</c> exactly.
/// </summary>
public sealed class LlamaTokenizer
{
    /// <summary>Beginning-of-sequence token id.</summary>
    public const int Bos = 1;

    /// <summary>End-of-sequence token id.</summary>
    public const int Eos = 2;

    private static readonly Encoding Latin1 = Encoding.Latin1;
    private readonly byte[][] _pieces;
    private readonly byte[][] _decoded;
    private readonly string[] _keys;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _lookup;

    private LlamaTokenizer(int maxTokenLength, byte[][] pieces, float[] scores)
    {
        MaxTokenLength = maxTokenLength;
        _pieces = pieces;
        _scores = scores;
        _keys = new string[pieces.Length];
        _decoded = new byte[pieces.Length][];
        _lookup = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (int i = 0; i < pieces.Length; i++)
        {
            _keys[i] = Latin1.GetString(pieces[i]);
            _lookup.TryAdd(_keys[i], i); // duplicates: the lowest id wins
            _decoded[i] = TryParseRawByte(pieces[i], out byte b) ? new[] { b } : pieces[i];
        }
    }

    /// <summary>Number of tokens.</summary>
    public int VocabularySize => _pieces.Length;

    /// <summary>Longest piece length declared by the file.</summary>
    public int MaxTokenLength { get; }

    /// <summary>Loads a tokenizer file holding <paramref name="vocabularySize"/> tokens (the model's vocab size).</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>; the message names the full path.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or malformed.</exception>
    public static LlamaTokenizer Load(string path, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"llama2.c tokenizer not found: {full}", full);
        ReadOnlySpan<byte> data = File.ReadAllBytes(full);
        int offset = 0;
        int maxLength = ReadInt(data, ref offset, full, "max_token_length");
        var pieces = new byte[vocabularySize][];
        var scores = new float[vocabularySize];
        for (int i = 0; i < vocabularySize; i++)
        {
            scores[i] = BitConverter.Int32BitsToSingle(ReadInt(data, ref offset, full, $"score of token {i}"));
            int length = ReadInt(data, ref offset, full, $"length of token {i}");
            if (length < 0 || length > data.Length - offset)
                throw new InvalidDataException($"Tokenizer {full}: token {i} claims {length} bytes at offset {offset} of {data.Length}; file truncated or corrupt.");
            pieces[i] = data.Slice(offset, length).ToArray();
            offset += length;
        }
        return new LlamaTokenizer(maxLength, pieces, scores);
    }

    /// <summary>The raw bytes of token <paramref name="token"/>'s piece.</summary>
    public ReadOnlySpan<byte> Piece(int token) => _pieces[CheckToken(token)];

    /// <summary>Merge score of token <paramref name="token"/>.</summary>
    public float Score(int token) => _scores[CheckToken(token)];

    /// <summary>
    /// Encodes UTF-8 text as run.c does: optional BOS, a dummy-prefix " " token when the text is non-empty (and the
    /// vocabulary has one),
    /// one token per UTF-8 code point (byte-fallback tokens, id = byte + 3, when a code point has no token),
    /// then repeated merging of the adjacent pair whose concatenation is the best-scoring token; optional EOS.
    /// </summary>
    public int[] Encode(string text, bool bos, bool eos)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new List<int>(bytes.Length + 3);
        if (bos) tokens.Add(Bos);
        if (bytes.Length > 0 && _lookup.TryGetValue(" ", out int dummyPrefix)) tokens.Add(dummyPrefix);
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            int length = i - start + 1;
            bool continuationFollows = i + 1 < bytes.Length && (bytes[i + 1] & 0xC0) == 0x80;
            if (continuationFollows && length < 4) continue;
            if (_lookup.TryGetValue(Latin1.GetString(bytes, start, length), out int id))
            {
                tokens.Add(id);
            }
            else
            {
                for (int j = start; j <= i; j++) tokens.Add(bytes[j] + 3);
            }
            start = i + 1;
        }
        MergePairs(tokens);
        if (eos) tokens.Add(Eos);
        return tokens.ToArray();
    }

    /// <summary>
    /// The bytes run.c prints for <paramref name="token"/> following <paramref name="previous"/>: a leading space
    /// is stripped after BOS, and raw byte tokens such as <c>&lt;0x0A&gt;</c> become that byte.
    /// </summary>
    public ReadOnlySpan<byte> DecodePiece(int previous, int token)
    {
        ReadOnlySpan<byte> piece = _decoded[CheckToken(token)];
        if (previous == Bos && _pieces[token].Length > 0 && _pieces[token][0] == (byte)' ')
            piece = piece.Slice(1);
        return piece;
    }

    /// <summary>
    /// True when run.c's <c>safe_printf</c> would print <paramref name="piece"/>: it is non-empty and, when it is a
    /// single byte, that byte is printable ASCII or whitespace.
    /// </summary>
    public static bool IsPrintable(ReadOnlySpan<byte> piece) =>
        piece.Length > 1 || (piece.Length == 1 && (piece[0] is >= 0x20 and <= 0x7E || piece[0] is >= 0x09 and <= 0x0D));

    /// <summary>
    /// Decodes a token sequence to text, each token's piece taken with <see cref="DecodePiece"/> relative to the
    /// token before it (the first token has no predecessor unless it follows BOS). BOS and EOS produce no text.
    /// With <paramref name="dropUnprintableBytes"/>, single unprintable bytes are skipped like run.c's output.
    /// </summary>
    public string Decode(ReadOnlySpan<int> tokens, bool dropUnprintableBytes = false)
    {
        var bytes = new List<byte>(tokens.Length * 4);
        int previous = -1;
        foreach (int token in tokens)
        {
            if (token != Bos && token != Eos)
            {
                ReadOnlySpan<byte> piece = DecodePiece(previous, token);
                if (!dropUnprintableBytes || IsPrintable(piece))
                {
                    foreach (byte b in piece) bytes.Add(b);
                }
            }
            previous = token;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private void MergePairs(List<int> tokens)
    {
        while (true)
        {
            float bestScore = -1e10f;
            int bestId = -1, bestIndex = -1;
            for (int i = 0; i < tokens.Count - 1; i++)
            {
                if (!_lookup.TryGetValue(string.Concat(_keys[tokens[i]], _keys[tokens[i + 1]]), out int id)) continue;
                if (_scores[id] > bestScore)
                {
                    bestScore = _scores[id];
                    bestId = id;
                    bestIndex = i;
                }
            }
            if (bestIndex < 0) return;
            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }
    }

    private int CheckToken(int token)
    {
        if ((uint)token >= (uint)_pieces.Length)
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token must be in [0, {_pieces.Length}).");
        return token;
    }

    private static bool TryParseRawByte(byte[] piece, out byte value)
    {
        value = 0;
        if (piece.Length != 6 || piece[0] != '<' || piece[1] != '0' || piece[2] != 'x' || piece[5] != '>') return false;
        return byte.TryParse(Latin1.GetString(piece, 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static int ReadInt(ReadOnlySpan<byte> data, ref int offset, string path, string what)
    {
        if (data.Length - offset < sizeof(int))
            throw new InvalidDataException($"Tokenizer {path}: file ends at byte {data.Length} while reading {what}; file truncated or corrupt.");
        int value = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(offset));
        offset += sizeof(int);
        return value;
    }
}
