namespace FibQuant.Attention;

/// <summary>How one stream of a <see cref="MixedPrecisionKvCache{TCodec}"/> (its keys or its values) is held.</summary>
public enum KvStreamStorage
{
    /// <summary>fp32, 4·d bytes per token.</summary>
    Float32 = 0,

    /// <summary>fp16, 2·d bytes per token; a component beyond fp16's range (±65504) is refused on append.</summary>
    Float16 = 1,

    /// <summary>A codec's norm and codeword indices (see <see cref="CompressedKvCache{TCodec}"/> for the layout).</summary>
    Compressed = 2,
}
