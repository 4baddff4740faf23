using System;
using System.Numerics.Tensors;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>
/// Keys and values of one layer × one KV head, each stream held in its own format: fp32, fp16, or compressed with a
/// codec — for example fp16 keys with FibQuant values, or FibQuant keys with fp32 values. A compressed key stream is
/// scored in the compressed domain by the score kernels of <see cref="CompressedKvCache{TCodec}"/> (fast scan by default
/// wherever <see cref="SupportsFastScan"/>, see <see cref="KeyScoreKernel"/>); a compressed value stream is accumulated in the rotated domain by its
/// value kernels; a full-precision stream is attended with TensorPrimitives. Optionally the most recent W tokens of the
/// compressed streams are also held in fp32 and attended exactly. When both streams are compressed,
/// <see cref="CompressedKvCache{TCodec}"/> does the same work with a group pass tuned for that case.
/// <para>
/// Thread safety: as <see cref="CompressedKvCache{TCodec}"/>, an instance serves one call at a time (attention uses
/// scratch owned by the cache); a call that starts while another thread is inside a call on the same cache throws
/// <see cref="InvalidOperationException"/> and the running call is unaffected. Codecs are shared read-only.
/// </para>
/// </summary>
/// <typeparam name="TCodec">The codec type of the compressed streams.</typeparam>
public sealed partial class MixedPrecisionKvCache<TCodec> : IKeyValueCache where TCodec : IVectorCodec
{
    private readonly KvStream _keys;
    private readonly KvStream _values;
    private readonly int _recentWindow;
    private readonly float[] _keyScratch;
    private readonly float[] _valueScratch;
    private readonly SingleCallerGuard _guard = new();
    private int _windowStart;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="headDimension">Head dimension d (a compressed stream's codec must have this dimension).</param>
    /// <param name="keys">How the keys are held.</param>
    /// <param name="values">How the values are held.</param>
    /// <param name="recentWindow">
    /// W ≥ 0: the most recent W tokens of the compressed streams are also held in fp32 and attended exactly. Needs at
    /// least one compressed stream when positive; W·d must fit one array (<see cref="Array.MaxLength"/> floats).
    /// </param>
    public MixedPrecisionKvCache(int headDimension, KvStreamFormat<TCodec> keys, KvStreamFormat<TCodec> values, int recentWindow = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headDimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(recentWindow);
        if (recentWindow > Array.MaxLength / headDimension)
            throw new ArgumentOutOfRangeException(nameof(recentWindow), recentWindow,
                $"recentWindow must be in [0, {Array.MaxLength / headDimension}] for d = {headDimension} (W·d fp32 values per window array).");
        if (recentWindow > 0 && keys.Storage != KvStreamStorage.Compressed && values.Storage != KvStreamStorage.Compressed)
            throw new ArgumentOutOfRangeException(nameof(recentWindow), recentWindow,
                "recentWindow must be 0 when neither stream is compressed: full-precision streams are attended exactly already.");
        HeadDimension = headDimension;
        KeyFormat = keys;
        ValueFormat = values;
        _recentWindow = recentWindow;
        _keys = CreateStream(keys, headDimension, recentWindow, isKeys: true, nameof(keys));
        _values = CreateStream(values, headDimension, recentWindow, isKeys: false, nameof(values));
        _keyScratch = new float[headDimension];
        _valueScratch = new float[headDimension];
        _scores = new float[PagedCodes.PageTokens];
    }

    /// <inheritdoc />
    public int HeadDimension { get; }

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <summary>How the keys are held.</summary>
    public KvStreamFormat<TCodec> KeyFormat { get; }

    /// <summary>How the values are held.</summary>
    public KvStreamFormat<TCodec> ValueFormat { get; }

    /// <summary>W: how many of the most recent tokens the compressed streams also hold in fp32 (0 = none).</summary>
    public int RecentWindow => _recentWindow;

    /// <summary>
    /// The first position whose compressed streams are read from the fp32 window: tokens in
    /// [<see cref="FullPrecisionStart"/>, <see cref="Count"/>) are attended exactly. Equals <see cref="Count"/> without a window.
    /// </summary>
    public int FullPrecisionStart => _windowStart;

    /// <summary>
    /// Whether <see cref="ScoreKernel.FastScan"/> is available: compressed keys with d/k ≤ 256 and N = 16, or
    /// N ∈ {2, 4, 8, 32, 64} on a machine with AVX-512 VBMI (as <see cref="CompressedKvCache{TCodec}.SupportsFastScan"/>).
    /// </summary>
    public bool SupportsFastScan => _keys is CompressedStream { SupportsFastScan: true };

    /// <summary>
    /// The kernel scoring compressed keys; defaults to <see cref="ScoreKernel.FastScan"/> where supported. Setting it on
    /// a cache with full-precision keys throws (they are scored exactly with fp32 dot products).
    /// </summary>
    public ScoreKernel KeyScoreKernel
    {
        get => _keys is CompressedStream keys ? keys.Kernel : ScoreKernel.ExactTable;
        set
        {
            using SingleCallerGuard.Scope use = _guard.Enter();
            if (_keys is not CompressedStream keys)
                throw new InvalidOperationException($"The keys are held in {KeyFormat.Storage}; a score kernel applies to compressed keys only.");
            keys.Kernel = value;
        }
    }

    /// <summary>
    /// Payload bytes held for the tokens: per token each stream's bytes (4·d for fp32, 2·d for fp16, a compressed stream's
    /// norm and codes as <see cref="CompressedKvCache{TCodec}"/> holds them: log2 N bits per code, the format's size), plus
    /// d fp32 values per compressed stream for every token in the full-precision window.
    /// </summary>
    public long BytesUsed => _keys.PayloadBytes(Count) + _values.PayloadBytes(Count)
                             + (long)(Count - _windowStart) * HeadDimension * sizeof(float) * RecentStreams;

    /// <summary>Bytes the same tokens take in an fp16 cache: 2 (key and value) · d · 2 bytes per token.</summary>
    public long Float16Bytes => 4L * Count * HeadDimension;

    private int RecentStreams => (_keys.KeepsRecent ? 1 : 0) + (_values.KeepsRecent ? 1 : 0);

    /// <summary>Appends one token's key and value (each length d, finite; within ±65504 for an fp16 stream).</summary>
    /// <exception cref="ArgumentException">A length is not d, or a component is NaN, ±∞ or beyond its stream's range; the cache is unchanged.</exception>
    public void Append(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(key.Length, nameof(key));
        CheckLength(value.Length, nameof(value));
        _keys.Prepare(key, nameof(key));
        _values.Prepare(value, nameof(value));
        Commit(key, value);
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

    /// <summary>The key attention uses for token <paramref name="position"/>: as stored (fp16 widened), fp32 inside the window, else decoded.</summary>
    public void DecodeKey(int position, Span<float> key)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(key.Length, nameof(key));
        _keys.Decode(CheckPosition(position), _windowStart, key);
    }

    /// <summary>The value attention uses for token <paramref name="position"/>.</summary>
    public void DecodeValue(int position, Span<float> value)
    {
        using SingleCallerGuard.Scope use = _guard.Enter();
        CheckLength(value.Length, nameof(value));
        _values.Decode(CheckPosition(position), _windowStart, value);
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

    /// <summary>Bytes per token of the key stream in the cache file.</summary>
    internal int KeyStoredSize => _keys.StoredSize;

    /// <summary>Bytes per token of the value stream in the cache file.</summary>
    internal int ValueStoredSize => _values.StoredSize;

    /// <summary>Whether the key stream holds window tokens in fp32 as well.</summary>
    internal bool KeysKeepRecent => _keys.KeepsRecent;

    /// <summary>Whether the value stream holds window tokens in fp32 as well.</summary>
    internal bool ValuesKeepRecent => _values.KeepsRecent;

    /// <summary>Writes token <paramref name="position"/>'s key and value in their stored forms.</summary>
    internal void CopyStored(int position, Span<byte> key, Span<byte> value)
    {
        _keys.CopyStored(position, key);
        _values.CopyStored(position, value);
    }

    /// <summary>The fp32 key of a window token (key stream keeps the window).</summary>
    internal ReadOnlySpan<float> RecentKey(int position) => _keys.Recent(position);

    /// <summary>The fp32 value of a window token.</summary>
    internal ReadOnlySpan<float> RecentValue(int position) => _values.Recent(position);

    /// <summary>
    /// Appends a token read from a cache file: both stored forms are checked before either is stored. With
    /// <paramref name="inWindow"/> the window's fp32 vectors are given (empty for a stream that keeps none).
    /// </summary>
    /// <exception cref="System.IO.InvalidDataException">A stored form is corrupt; the cache is unchanged.</exception>
    internal void AppendStored(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool inWindow, ReadOnlySpan<float> recentKey,
        ReadOnlySpan<float> recentValue, int token)
    {
        _keys.PrepareStored(key, token);
        _values.PrepareStored(value, token);
        int position = Count;
        _keys.Commit(position, recentKey);
        _values.Commit(position, recentValue);
        Count++;
        _windowStart = inWindow && _recentWindow > 0 ? Math.Max(_windowStart, Count - _recentWindow) : Count;
    }

    private void Commit(ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        int position = Count;
        _keys.Commit(position, key);
        _values.Commit(position, value);
        Count++;
        _windowStart = _recentWindow > 0 ? Math.Max(_windowStart, Count - _recentWindow) : Count;
    }

    private static KvStream CreateStream(KvStreamFormat<TCodec> format, int dimension, int recentWindow, bool isKeys, string paramName)
    {
        if (format.Storage != KvStreamStorage.Compressed) return new FullPrecisionStream(dimension, half: format.Storage == KvStreamStorage.Float16);
        TCodec codec = format.Codec!;
        CompressedStream.CheckCodec(codec, dimension, paramName);
        return new CompressedStream(codec, recentWindow, isKeys);
    }

    private void CheckLength(int length, string name) => CacheArguments.VectorLength(length, HeadDimension, name);

    private int CheckPosition(int position) => CacheArguments.Position(position, Count);
}
