using System;
using System.Buffers.Binary;
using System.IO;

namespace FibQuant.Llama;

/// <summary>
/// The hyper-parameters in a llama2.c checkpoint header: seven little-endian int32 values
/// (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len). A negative vocab_size in the file
/// means the classifier is stored separately instead of being shared with the token embedding.
/// </summary>
public sealed class LlamaConfig
{
    /// <summary>Bytes occupied by the header in the checkpoint file.</summary>
    public const int HeaderBytes = 7 * sizeof(int);

    /// <summary>Creates and validates a configuration.</summary>
    /// <exception cref="InvalidDataException">A value is out of range or the dimensions are inconsistent.</exception>
    public LlamaConfig(int dimension, int hiddenDimension, int layerCount, int headCount, int kvHeadCount,
        int vocabularySize, int sequenceLength, bool sharedClassifier)
    {
        Require(dimension > 0, $"dim must be positive, got {dimension}.");
        Require(hiddenDimension > 0, $"hidden_dim must be positive, got {hiddenDimension}.");
        Require(layerCount > 0, $"n_layers must be positive, got {layerCount}.");
        Require(headCount > 0, $"n_heads must be positive, got {headCount}.");
        Require(kvHeadCount > 0, $"n_kv_heads must be positive, got {kvHeadCount}.");
        Require(vocabularySize > 0, $"vocab_size must be non-zero, got {vocabularySize}.");
        Require(sequenceLength > 0, $"seq_len must be positive, got {sequenceLength}.");
        Require(dimension % headCount == 0, $"dim {dimension} is not a multiple of n_heads {headCount}.");
        Require(headCount % kvHeadCount == 0, $"n_heads {headCount} is not a multiple of n_kv_heads {kvHeadCount}.");
        Require(dimension / headCount % 2 == 0, $"head size {dimension / headCount} must be even for RoPE.");
        Dimension = dimension;
        HiddenDimension = hiddenDimension;
        LayerCount = layerCount;
        HeadCount = headCount;
        KvHeadCount = kvHeadCount;
        VocabularySize = vocabularySize;
        SequenceLength = sequenceLength;
        SharedClassifier = sharedClassifier;
    }

    /// <summary>Model (residual stream) dimension.</summary>
    public int Dimension { get; }

    /// <summary>Hidden dimension of the SwiGLU feed-forward network.</summary>
    public int HiddenDimension { get; }

    /// <summary>Number of transformer layers.</summary>
    public int LayerCount { get; }

    /// <summary>Number of query heads.</summary>
    public int HeadCount { get; }

    /// <summary>Number of key/value heads (grouped-query attention when fewer than <see cref="HeadCount"/>).</summary>
    public int KvHeadCount { get; }

    /// <summary>Vocabulary size (always positive here).</summary>
    public int VocabularySize { get; }

    /// <summary>Maximum sequence length (positions).</summary>
    public int SequenceLength { get; }

    /// <summary>True when the classifier reuses the token embedding table.</summary>
    public bool SharedClassifier { get; }

    /// <summary>Dimension of one attention head.</summary>
    public int HeadSize => Dimension / HeadCount;

    /// <summary>Total width of the keys (or values) of one position: <see cref="KvHeadCount"/> × <see cref="HeadSize"/>.</summary>
    public int KvDimension => KvHeadCount * HeadSize;

    /// <summary>Query heads that share one key/value head.</summary>
    public int QueryHeadsPerKvHead => HeadCount / KvHeadCount;

    /// <summary>Parses the 28-byte header.</summary>
    /// <exception cref="InvalidDataException">The header is short or its values are invalid.</exception>
    public static LlamaConfig Parse(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderBytes)
            throw new InvalidDataException($"llama2.c header needs {HeaderBytes} bytes, got {header.Length}.");
        int vocab = BinaryPrimitives.ReadInt32LittleEndian(header.Slice(20));
        if (vocab == int.MinValue) throw new InvalidDataException("vocab_size is out of range.");
        return new LlamaConfig(
            BinaryPrimitives.ReadInt32LittleEndian(header),
            BinaryPrimitives.ReadInt32LittleEndian(header.Slice(4)),
            BinaryPrimitives.ReadInt32LittleEndian(header.Slice(8)),
            BinaryPrimitives.ReadInt32LittleEndian(header.Slice(12)),
            BinaryPrimitives.ReadInt32LittleEndian(header.Slice(16)),
            Math.Abs(vocab),
            BinaryPrimitives.ReadInt32LittleEndian(header.Slice(24)),
            sharedClassifier: vocab > 0);
    }

    /// <summary>Total file length in bytes that a checkpoint with this configuration must have.</summary>
    public long ExpectedFileBytes
    {
        get
        {
            long floats = 0;
            long d = Dimension, h = HiddenDimension, l = LayerCount, kv = KvDimension, q = (long)HeadCount * HeadSize;
            floats += VocabularySize * d;              // token embedding
            floats += l * d;                           // rms_att
            floats += l * d * q;                       // wq
            floats += 2 * l * d * kv;                  // wk, wv
            floats += l * q * d;                       // wo
            floats += l * d;                           // rms_ffn
            floats += 3 * l * d * h;                   // w1, w2, w3
            floats += d;                               // rms_final
            floats += (long)SequenceLength * HeadSize; // freq_cis real + imag (head_size * seq_len / 2 each)
            if (!SharedClassifier) floats += VocabularySize * d;
            return HeaderBytes + floats * sizeof(float);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"dim {Dimension}, hidden {HiddenDimension}, layers {LayerCount}, heads {HeadCount}, kv heads {KvHeadCount}, " +
        $"vocab {VocabularySize}, seq {SequenceLength}, {(SharedClassifier ? "shared" : "separate")} classifier";

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new InvalidDataException("Invalid llama2.c config: " + message);
    }
}
