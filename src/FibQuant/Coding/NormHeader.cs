using System;
using System.Buffers.Binary;
using System.IO;

namespace FibQuant.Coding;

/// <summary>Reads and writes the little-endian norm header that starts every encoded vector.</summary>
public static class NormHeader
{
    /// <summary>Header size in bytes for <paramref name="format"/>.</summary>
    public static int Size(NormFormat format) => format == NormFormat.Half ? 2 : 4;

    /// <summary>The norm as it will read back after storage (rounded to the header's precision).</summary>
    public static float Round(float norm, NormFormat format) => format == NormFormat.Half ? (float)(Half)norm : norm;

    /// <summary>Writes <paramref name="norm"/>; throws when it does not fit the format.</summary>
    public static void Write(Span<byte> destination, float norm, NormFormat format)
    {
        if (format == NormFormat.Half)
        {
            var half = (Half)norm;
            if (Half.IsInfinity(half))
                throw new ArgumentOutOfRangeException(nameof(norm), norm, $"The vector norm {norm} exceeds the fp16 header's range (<= {(float)Half.MaxValue}); use NormFormat.Single.");
            BinaryPrimitives.WriteHalfLittleEndian(destination, half);
        }
        else
        {
            if (float.IsInfinity(norm))
                throw new ArgumentOutOfRangeException(nameof(norm), norm, $"The vector norm overflows fp32 (> {float.MaxValue}); scale the vector down before encoding.");
            BinaryPrimitives.WriteSingleLittleEndian(destination, norm);
        }
    }

    /// <summary>Reads a norm; throws <see cref="InvalidDataException"/> for a negative, NaN or infinite value.</summary>
    public static float Read(ReadOnlySpan<byte> source, NormFormat format)
    {
        float norm = format == NormFormat.Half
            ? (float)BinaryPrimitives.ReadHalfLittleEndian(source)
            : BinaryPrimitives.ReadSingleLittleEndian(source);
        if (!(norm >= 0f) || float.IsPositiveInfinity(norm))
            throw new InvalidDataException($"Corrupt encoded vector: the norm header holds {norm}, expected a finite value >= 0.");
        return norm;
    }
}
