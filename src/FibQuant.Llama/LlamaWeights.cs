using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;

namespace FibQuant.Llama;

/// <summary>
/// The float32 weights of a llama2.c checkpoint, stored flat in file order (token embedding, rms_att, wq, wk, wv,
/// wo, rms_ffn, w1, w2, w3, rms_final, the unused freq_cis tables, then wcls when the classifier is not shared).
/// Matrices are row-major with shape (out, in), as llama2.c's <c>matmul</c> expects.
/// </summary>
public sealed class LlamaWeights
{
    private readonly float[] _tokenEmbedding, _rmsAttention, _wq, _wk, _wv, _wo, _rmsFeedForward, _w1, _w2, _w3, _rmsFinal, _classifier;

    private LlamaWeights(LlamaConfig config, Stream stream)
    {
        Config = config;
        int d = config.Dimension, h = config.HiddenDimension, l = config.LayerCount, kv = config.KvDimension;
        int q = config.HeadCount * config.HeadSize;
        _tokenEmbedding = Read(stream, (long)config.VocabularySize * d);
        _rmsAttention = Read(stream, (long)l * d);
        _wq = Read(stream, (long)l * d * q);
        _wk = Read(stream, (long)l * d * kv);
        _wv = Read(stream, (long)l * d * kv);
        _wo = Read(stream, (long)l * q * d);
        _rmsFeedForward = Read(stream, (long)l * d);
        _w1 = Read(stream, (long)l * d * h);
        _w2 = Read(stream, (long)l * h * d);
        _w3 = Read(stream, (long)l * d * h);
        _rmsFinal = Read(stream, d);
        stream.Seek((long)config.SequenceLength * config.HeadSize * sizeof(float), SeekOrigin.Current);
        _classifier = config.SharedClassifier ? _tokenEmbedding : Read(stream, (long)config.VocabularySize * d);
    }

    /// <summary>The configuration read from the header.</summary>
    public LlamaConfig Config { get; }

    /// <summary>Loads a llama2.c checkpoint, checking its length against the header before reading weights.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>; the message names the full path.</exception>
    /// <exception cref="InvalidDataException">The header is invalid or the file length does not match it.</exception>
    public static LlamaWeights Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"llama2.c checkpoint not found: {full}", full);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> header = stackalloc byte[LlamaConfig.HeaderBytes];
        int got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw new InvalidDataException($"Checkpoint {full} is {stream.Length} bytes, shorter than the {LlamaConfig.HeaderBytes}-byte header.");
        LlamaConfig config;
        try
        {
            config = LlamaConfig.Parse(header);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Checkpoint {full}: {e.Message}", e);
        }
        long expected = config.ExpectedFileBytes;
        if (stream.Length != expected)
            throw new InvalidDataException(
                $"Checkpoint {full} is {stream.Length} bytes but its header ({config}) requires exactly {expected} bytes; " +
                "the file is truncated, corrupt or not a llama2.c checkpoint.");
        return new LlamaWeights(config, stream);
    }

    /// <summary>Token embedding table, shape (vocab, dim).</summary>
    public ReadOnlySpan<float> TokenEmbedding => _tokenEmbedding;

    /// <summary>Embedding row of <paramref name="token"/>.</summary>
    public ReadOnlySpan<float> Embedding(int token) => _tokenEmbedding.AsSpan(token * Config.Dimension, Config.Dimension);

    /// <summary>Attention RMSNorm weight of <paramref name="layer"/> (dim).</summary>
    public ReadOnlySpan<float> RmsAttention(int layer) => Slice(_rmsAttention, layer);

    /// <summary>Query projection of <paramref name="layer"/>, shape (n_heads·head_size, dim).</summary>
    public ReadOnlySpan<float> Wq(int layer) => Slice(_wq, layer);

    /// <summary>Key projection of <paramref name="layer"/>, shape (kv_dim, dim).</summary>
    public ReadOnlySpan<float> Wk(int layer) => Slice(_wk, layer);

    /// <summary>Value projection of <paramref name="layer"/>, shape (kv_dim, dim).</summary>
    public ReadOnlySpan<float> Wv(int layer) => Slice(_wv, layer);

    /// <summary>Attention output projection of <paramref name="layer"/>, shape (dim, n_heads·head_size).</summary>
    public ReadOnlySpan<float> Wo(int layer) => Slice(_wo, layer);

    /// <summary>Feed-forward RMSNorm weight of <paramref name="layer"/> (dim).</summary>
    public ReadOnlySpan<float> RmsFeedForward(int layer) => Slice(_rmsFeedForward, layer);

    /// <summary>SwiGLU gate projection of <paramref name="layer"/>, shape (hidden, dim).</summary>
    public ReadOnlySpan<float> W1(int layer) => Slice(_w1, layer);

    /// <summary>SwiGLU down projection of <paramref name="layer"/>, shape (dim, hidden).</summary>
    public ReadOnlySpan<float> W2(int layer) => Slice(_w2, layer);

    /// <summary>SwiGLU up projection of <paramref name="layer"/>, shape (hidden, dim).</summary>
    public ReadOnlySpan<float> W3(int layer) => Slice(_w3, layer);

    /// <summary>Final RMSNorm weight (dim).</summary>
    public ReadOnlySpan<float> RmsFinal => _rmsFinal;

    /// <summary>Classifier, shape (vocab, dim); the token embedding when shared.</summary>
    public ReadOnlySpan<float> Classifier => _classifier;

    private ReadOnlySpan<float> Slice(float[] all, int layer)
    {
        if ((uint)layer >= (uint)Config.LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer must be in [0, {Config.LayerCount}).");
        int per = all.Length / Config.LayerCount;
        return all.AsSpan(layer * per, per);
    }

    private static float[] Read(Stream stream, long count)
    {
        if (count > Array.MaxLength) throw new InvalidDataException($"Tensor of {count} floats is too large to load.");
        var data = new float[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
        return data;
    }
}
