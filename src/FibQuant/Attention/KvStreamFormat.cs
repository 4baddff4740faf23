using System;
using FibQuant.Coding;

namespace FibQuant.Attention;

/// <summary>The storage of one stream of a <see cref="MixedPrecisionKvCache{TCodec}"/>: fp32, fp16, or a codec.</summary>
/// <typeparam name="TCodec">The codec type of compressed streams.</typeparam>
public readonly struct KvStreamFormat<TCodec> where TCodec : IVectorCodec
{
    private KvStreamFormat(KvStreamStorage storage, TCodec? codec)
    {
        Storage = storage;
        Codec = codec;
    }

    /// <summary>fp32 storage.</summary>
    public static KvStreamFormat<TCodec> Float32 => new(KvStreamStorage.Float32, default);

    /// <summary>fp16 storage.</summary>
    public static KvStreamFormat<TCodec> Float16 => new(KvStreamStorage.Float16, default);

    /// <summary>How the stream is held.</summary>
    public KvStreamStorage Storage { get; }

    /// <summary>The codec of a <see cref="KvStreamStorage.Compressed"/> stream; default otherwise.</summary>
    public TCodec? Codec { get; }

    /// <summary>Storage compressed with <paramref name="codec"/>.</summary>
    public static KvStreamFormat<TCodec> Compressed(TCodec codec)
    {
        if (codec is null) throw new ArgumentNullException(nameof(codec));
        return new KvStreamFormat<TCodec>(KvStreamStorage.Compressed, codec);
    }
}
