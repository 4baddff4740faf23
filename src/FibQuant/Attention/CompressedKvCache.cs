using System;
using System.Numerics;
using System.Numerics.Tensors;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// The compressed keys and values of one layer × one KV head. Every token is stored as its codec's norm ν_t (in the
/// norm header's format: 2 bytes for fp16) and d/k codeword indices, structure-of-arrays in pages of
/// <see cref="PageTokens"/> tokens laid out for the scan (<see cref="CodeLayout"/>); growth adds a page and never
/// copies the cache. Keys and values may use different codebooks (two codec instances of one type). Optionally the
/// most recent W tokens are also kept in fp32 and attended exactly. Attention runs in the compressed domain (see
/// <see cref="Attend"/>).
/// <para>
/// Thread safety: an instance is not thread-safe, for reads as well as writes — attention, scoring and decoding use
/// scratch buffers owned by the cache. A call that starts while another thread is inside a call on the same cache throws
/// <see cref="InvalidOperationException"/> (the running call is unaffected). Serialise every call on one cache (for
/// example one lock around appends and attention); a reader that holds the lock sees every token appended before it took the lock, and tokens
/// [0, <see cref="Count"/>) are never changed by later appends. Different caches may run on different threads at
/// once, also when they share codec instances (codecs are immutable). See docs/guarantees.md.
/// </para>
/// </summary>
/// <typeparam name="TCodec">The codec type; a struct such as a generated codebook's <c>Codec</c> gets specialised code.</typeparam>
public sealed partial class CompressedKvCache<TCodec> : IKeyValueCache where TCodec : IVectorCodec
{
    /// <summary>Tokens per storage page.</summary>
    public const int PageTokens = PagedCodes.PageTokens;

    private readonly TCodec _keyCodec;
    private readonly TCodec _valueCodec;
    private readonly PagedCodes _keys;
    private readonly PagedCodes _values;
    private readonly FullPrecisionWindow? _window;
    private readonly byte[] _keyCode;
    private readonly byte[] _valueCode;
    private readonly ushort[] _indices;
    private readonly ushort[] _valueIndices;
    private readonly float[] _keyScratch;
    private readonly float[] _valueScratch;
    private int _windowStart;
    private ScoreKernel _kernel;
    private readonly SingleCallerGuard _guard = new();

    /// <summary>Creates an empty cache.</summary>
    /// <param name="keyCodec">Codec of the keys.</param>
    /// <param name="valueCodec">Codec of the values (same dimension d; may use another codebook).</param>
    /// <param name="recentWindow">
    /// W ≥ 0: the most recent W tokens are also held in fp32 and attended exactly; W·d must fit one array
    /// (<see cref="Array.MaxLength"/> floats).
    /// </param>
    public CompressedKvCache(TCodec keyCodec, TCodec valueCodec, int recentWindow = 0)
    {
        if (keyCodec is null) throw new ArgumentNullException(nameof(keyCodec));
        if (valueCodec is null) throw new ArgumentNullException(nameof(valueCodec));
        ArgumentOutOfRangeException.ThrowIfNegative(recentWindow);
        if (keyCodec.Dimension > 0 && recentWindow > Array.MaxLength / keyCodec.Dimension)
            throw new ArgumentOutOfRangeException(nameof(recentWindow), recentWindow,
                $"recentWindow must be in [0, {Array.MaxLength / keyCodec.Dimension}] for d = {keyCodec.Dimension} (W·d fp32 values per window array).");
        if (keyCodec.Dimension != valueCodec.Dimension)
            throw new ArgumentException($"Key and value codecs must share d: {keyCodec.Dimension} vs {valueCodec.Dimension}.", nameof(valueCodec));
        _keyCodec = keyCodec;
        _valueCodec = valueCodec;
        HeadDimension = keyCodec.Dimension;
        _keys = Stream(keyCodec, nameof(keyCodec));
        _values = Stream(valueCodec, nameof(valueCodec));
        _window = recentWindow > 0 ? new FullPrecisionWindow(recentWindow, HeadDimension) : null;
        _keyCode = new byte[keyCodec.EncodedSize];
        _valueCode = new byte[valueCodec.EncodedSize];
        _indices = new ushort[Math.Max(_keys.Blocks, _values.Blocks)];
        _valueIndices = new ushort[_values.Blocks];
        _keyScratch = new float[HeadDimension];
        _valueScratch = new float[HeadDimension];
        _kernel = SupportsFastScan ? ScoreKernel.FastScan : ScoreKernel.ExactTable;
        _scratch = new AttentionScratch(HeadDimension, _keys, _values, valueCodec.CodewordTable, valueCodec.BlockSize);
    }

    /// <inheritdoc />
    public int HeadDimension { get; }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <summary>The key codec.</summary>
    public TCodec KeyCodec => _keyCodec;

    /// <summary>The value codec.</summary>
    public TCodec ValueCodec => _valueCodec;

    /// <summary>W: how many of the most recent tokens are also held in fp32 (0 = none).</summary>
    public int RecentWindow => _window?.Capacity ?? 0;

    /// <summary>
    /// The first position held in fp32: tokens in [<see cref="FullPrecisionStart"/>, <see cref="Count"/>) are attended
    /// exactly. After <see cref="Truncate"/> tokens that had already left the window stay compressed.
    /// </summary>
    public int FullPrecisionStart => _windowStart;

    /// <summary>How the key codes are stored: <see cref="CodeLayout.Nibbles"/> for N = 16, else <see cref="CodeLayout.Packed"/>.</summary>
    public CodeLayout KeyLayout => _keys.Storage;

    /// <summary>How the value codes are stored: <see cref="CodeLayout.Nibbles"/> for N = 16, else <see cref="CodeLayout.Packed"/>.</summary>
    public CodeLayout ValueLayout => _values.Storage;

    /// <summary>
    /// Whether <see cref="ScoreKernel.FastScan"/> is available: a key codebook with d/k ≤ 256 and N = 16
    /// (<see cref="FastScanKernel"/>, every machine), or N ∈ {2, 4, 8, 32, 64} on a machine with AVX-512 VBMI
    /// (<see cref="ByteFastScanKernel"/>). Fixed per machine and codebook.
    /// </summary>
    public bool SupportsFastScan => SupportsFastScanOn(_keys);

    /// <summary>The key-score kernel; defaults to <see cref="ScoreKernel.FastScan"/> where supported.</summary>
    public ScoreKernel KeyScoreKernel
    {
        get => _kernel;
        set
        {
            using SingleCallerGuard.Scope use = _guard.Enter();
            if (value == ScoreKernel.FastScan && !SupportsFastScan)
                throw new ArgumentOutOfRangeException(nameof(value), value, FastScanRequirement);
            if (value != ScoreKernel.FastScan && value != ScoreKernel.ExactTable)
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown score kernel.");
            _kernel = value;
        }
    }

    /// <summary>
    /// Payload bytes held for the tokens: per stream the norms as the codec's header stores them plus the codes as stored,
    /// log2 N bits each (<see cref="CodeLayout.Nibbles"/> or <see cref="CodeLayout.Packed"/>), the stream's code bits
    /// rounded up to whole bytes; plus 2·d fp32 values per token in the full-precision window. Without a window this is
    /// Count · (key + value <see cref="IVectorCodec.EncodedSize"/>) whenever (d/k)·log2 N is a multiple of 8 (every codebook
    /// with d/k a multiple of 8, and N = 16 with d/k a multiple of 4); otherwise the format rounds each token up to whole
    /// bytes and the cache, packing 32 tokens together, holds less.
    /// </summary>
    public long BytesUsed => _keys.PayloadBytes(Count) + _values.PayloadBytes(Count)
                             + (long)(Count - _windowStart) * 2 * HeadDimension * sizeof(float);

    /// <summary>Bytes the same tokens take in an fp16 cache: 2 (key and value) · d · 2 bytes per token.</summary>
    public long Float16Bytes => 4L * Count * HeadDimension;

    /// <summary>Appends one token's key and value (each length d).</summary>
    public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(key.Length, nameof(key));
        CheckLength(value.Length, nameof(value));
        _keyCodec.Encode(key, _keyCode);
        _valueCodec.Encode(value, _valueCode);
        AppendCodes(_keyCode, _valueCode, key, value);
    }

    /// <summary>Appends one token's key and value given in fp16.</summary>
    public void Append(ReadOnlySpan<Half> key, ReadOnlySpan<Half> value)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(key.Length, nameof(key));
        CheckLength(value.Length, nameof(value));
        TensorPrimitives.ConvertToSingle(key, _keyScratch);
        TensorPrimitives.ConvertToSingle(value, _valueScratch);
        Append(_keyScratch, _valueScratch);
    }

    /// <summary>
    /// Appends a token already encoded by the codecs (<see cref="IVectorCodec.EncodedSize"/> bytes each). The token is
    /// stored compressed only, so the full-precision window restarts after it.
    /// </summary>
    /// <exception cref="System.IO.InvalidDataException">A norm header or the index padding is corrupt.</exception>
    public void AppendEncoded(ReadOnlySpan<byte> keyCode, ReadOnlySpan<byte> valueCode)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        AppendCodes(keyCode, valueCode, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty);
    }

    /// <summary>Writes token <paramref name="position"/>'s key in the codec's encoded form (length EncodedSize).</summary>
    public void CopyEncodedKey(int position, Span<byte> code)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CopyEncoded(_keys, _keyCodec, CheckPosition(position), code);
    }

    /// <summary>Writes token <paramref name="position"/>'s value in the codec's encoded form.</summary>
    public void CopyEncodedValue(int position, Span<byte> code)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CopyEncoded(_values, _valueCodec, CheckPosition(position), code);
    }

    /// <summary>The key attention uses for token <paramref name="position"/>: fp32 inside the window, else decoded.</summary>
    public void DecodeKey(int position, Span<float> key)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(key.Length, nameof(key));
        if (CheckPosition(position) >= _windowStart) _window!.Key(position).CopyTo(key);
        else
        {
            CopyEncoded(_keys, _keyCodec, position, _keyCode);
            _keyCodec.Decode(_keyCode, key);
        }
    }

    /// <summary>The value attention uses for token <paramref name="position"/>.</summary>
    public void DecodeValue(int position, Span<float> value)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(value.Length, nameof(value));
        if (CheckPosition(position) >= _windowStart) _window!.Value(position).CopyTo(value);
        else
        {
            CopyEncoded(_values, _valueCodec, position, _valueCode);
            _valueCodec.Decode(_valueCode, value);
        }
    }

    /// <inheritdoc />
    public void Truncate(int count)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        if (count < 0 || count > Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in [0, {Count}].");
        Count = count;
        _keys.Truncate(count);
        _values.Truncate(count);
        _windowStart = Math.Min(_windowStart, count);
    }

    /// <inheritdoc />
    public void Clear() => Truncate(0);

    /// <summary>Holds the cache for the calling thread across several calls (the cache file's save and load).</summary>
    internal SingleCallerGuard.Scope EnterExclusive() => _guard.Enter();

    /// <summary>The fp32 key and value of a token in the window (used by the cache file).</summary>
    internal ReadOnlySpan<float> WindowKey(int position) => _window!.Key(position);

    /// <summary>The fp32 value of a token in the window.</summary>
    internal ReadOnlySpan<float> WindowValue(int position) => _window!.Value(position);

    /// <summary>Appends encoded codes and, when given, the token's fp32 key and value for the window.</summary>
    internal void AppendCodes(ReadOnlySpan<byte> keyCode, ReadOnlySpan<byte> valueCode, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        if (keyCode.Length != _keyCodec.EncodedSize)
            throw new ArgumentException($"keyCode must have {_keyCodec.EncodedSize} bytes, got {keyCode.Length}.", nameof(keyCode));
        if (valueCode.Length != _valueCodec.EncodedSize)
            throw new ArgumentException($"valueCode must have {_valueCodec.EncodedSize} bytes, got {valueCode.Length}.", nameof(valueCode));
        // Parse both codes before storing either, so a corrupt token leaves the cache unchanged.
        float keyNorm = Parse(keyCode, _keyCodec, _indices.AsSpan(0, _keys.Blocks));
        float valueNorm = Parse(valueCode, _valueCodec, _valueIndices);
        ReadOnlySpan<ushort> keyIndices = _indices.AsSpan(0, _keys.Blocks);
        ReadOnlySpan<ushort> valueIndices = _valueIndices;

        _keys.Append(keyNorm, keyIndices);
        _values.Append(valueNorm, valueIndices);
        if (_window is not null && key.Length == HeadDimension) _window.Store(Count, key, value);
        Count++;
        _windowStart = _window is not null && key.Length == HeadDimension ? Math.Max(_windowStart, Count - _window.Capacity) : Count;
    }

    private static float Parse(ReadOnlySpan<byte> code, TCodec codec, Span<ushort> indices)
    {
        float norm = NormHeader.Read(code, codec.NormFormat);
        BitPacking.Unpack(code.Slice(NormHeader.Size(codec.NormFormat)), IndexBits(codec), indices);
        return norm;
    }

    private void CopyEncoded(PagedCodes stream, TCodec codec, int position, Span<byte> code)
    {
        if (code.Length != codec.EncodedSize)
            throw new ArgumentException($"code must have {codec.EncodedSize} bytes, got {code.Length}.", nameof(code));
        Span<ushort> indices = _indices.AsSpan(0, stream.Blocks);
        stream.ReadIndices(position, indices);
        NormHeader.Write(code, stream.Norm(position), codec.NormFormat);
        int headerSize = NormHeader.Size(codec.NormFormat);
        BitPacking.Pack(indices, IndexBits(codec), code.Slice(headerSize));
    }

    private static PagedCodes Stream(TCodec codec, string name)
    {
        int d = codec.Dimension, k = codec.BlockSize, n = codec.Codewords;
        if (k < 1 || d % k != 0) throw new ArgumentException($"Block size k = {k} must divide d = {d}.", name);
        if (n < 2 || !BitOperations.IsPow2(n) || n > 65536) throw new ArgumentException($"Codebook size N = {n} must be a power of two in [2, 65536].", name);
        int expected = NormHeader.Size(codec.NormFormat) + BitPacking.PackedLength(d / k, BitOperations.Log2((uint)n));
        if (codec.EncodedSize != expected)
            throw new ArgumentException($"Codec EncodedSize {codec.EncodedSize} differs from header + packed indices = {expected}.", name);
        return new PagedCodes(d / k, n, codec.NormFormat);
    }

    private static int IndexBits(TCodec codec) => BitOperations.Log2((uint)codec.Codewords);

    private void CheckLength(int length, string name) => CacheArguments.VectorLength(length, HeadDimension, name);

    private int CheckPosition(int position) => CacheArguments.Position(position, Count);
}
