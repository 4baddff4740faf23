using System;
using System.Security.Cryptography;

namespace FibQuant.Design;

/// <summary>
/// 64-bit fingerprint of a codebook: the first 8 bytes (little-endian) of SHA-256 over the spec fields, the shell
/// layout, the table bits and the rotation bits. Encoded data records it so it is never decoded with another table.
/// </summary>
public static class CodebookFingerprint
{
    private const uint FormatTag = 0x31305146; // "FQ01"

    /// <summary>Computes the fingerprint.</summary>
    public static ulong Compute(CodebookSpec spec, int shells, int directionsPerShell, float[] table, float[] rotation)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        if (table is null) throw new ArgumentNullException(nameof(table));
        if (rotation is null) throw new ArgumentNullException(nameof(rotation));

        var bytes = new byte[4 * 9 + 8 + 4 * (table.Length + rotation.Length)];
        int offset = 0;
        WriteUInt32(bytes, ref offset, FormatTag);
        WriteUInt32(bytes, ref offset, (uint)spec.Dimension);
        WriteUInt32(bytes, ref offset, (uint)spec.BlockSize);
        WriteUInt32(bytes, ref offset, (uint)spec.Codewords);
        WriteUInt32(bytes, ref offset, (uint)spec.Seed);
        WriteUInt32(bytes, ref offset, (uint)(spec.Seed >> 32));
        WriteUInt32(bytes, ref offset, (uint)spec.Rotation);
        WriteUInt32(bytes, ref offset, (uint)spec.TrainingSamples);
        WriteUInt32(bytes, ref offset, (uint)spec.Restarts);
        WriteUInt32(bytes, ref offset, (uint)shells);
        WriteUInt32(bytes, ref offset, (uint)directionsPerShell);
        foreach (float value in table) WriteUInt32(bytes, ref offset, FloatBits(value));
        foreach (float value in rotation) WriteUInt32(bytes, ref offset, FloatBits(value));

        byte[] hash;
        using (var sha = SHA256.Create()) hash = sha.ComputeHash(bytes);
        ulong result = 0;
        for (int i = 7; i >= 0; i--) result = (result << 8) | hash[i];
        return result;
    }

    private static uint FloatBits(float value)
    {
        // BitConverter.SingleToInt32Bits is not in netstandard2.0; GetBytes preserves every bit, NaN payloads included.
        return unchecked((uint)BitConverter.ToInt32(BitConverter.GetBytes(value), 0));
    }

    private static void WriteUInt32(byte[] bytes, ref int offset, uint value)
    {
        bytes[offset++] = (byte)value;
        bytes[offset++] = (byte)(value >> 8);
        bytes[offset++] = (byte)(value >> 16);
        bytes[offset++] = (byte)(value >> 24);
    }
}
