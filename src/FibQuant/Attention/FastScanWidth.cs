using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Attention;

/// <summary>
/// The operations of <see cref="FastScanKernel"/> at one vector width: <typeparamref name="TBytes"/> holds
/// <see cref="Blocks"/> blocks of 16 code or table bytes, <typeparamref name="TWords"/> 16-bit sums, 8 words per
/// 128-bit lane. The kernel is written once over this; only the in-lane byte shuffle is per ISA
/// (vpshufb exists at 128 bits in SSSE3, at 256 in AVX2 and at 512 in AVX-512BW, so each width names its own).
/// </summary>
internal interface IFastScanWidth<TBytes, TWords>
    where TBytes : struct
    where TWords : struct
{
    /// <summary>Stored blocks per vector.</summary>
    static abstract int Blocks { get; }

    /// <summary>Whether this machine has the width's instructions.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Loads Blocks·16 bytes.</summary>
    static abstract TBytes Load(ref byte source, int offset);

    /// <summary>table[lane][index &amp; 15] for every byte, each 128-bit lane its own 16-byte table.</summary>
    static abstract TBytes ShuffleLow(TBytes table, TBytes codes);

    /// <summary>table[lane][index &gt;&gt; 4] for every byte.</summary>
    static abstract TBytes ShuffleHigh(TBytes table, TBytes codes);

    /// <summary>sum + bytes read as 16-bit words (byte pair 2w, 2w+1 → word w = b_2w + 256·b_2w+1, modulo 2^16).</summary>
    static abstract TWords AddPairs(TWords sum, TBytes bytes);

    /// <summary>sum + the odd bytes b_2w+1, each zero-extended to the 16-bit word w.</summary>
    static abstract TWords AddOdd(TWords sum, TBytes bytes);

    /// <summary>The 128-bit lanes added together (lane k holds block k of each step).</summary>
    static abstract Vector128<ushort> Fold(TWords sum);
}

/// <summary>AVX-512BW: four blocks per vector.</summary>
internal readonly struct FastScanWidth512 : IFastScanWidth<Vector512<byte>, Vector512<ushort>>
{
    public static int Blocks => 4;

    public static bool IsSupported => Avx512BW.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> Load(ref byte source, int offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> ShuffleLow(Vector512<byte> table, Vector512<byte> codes) =>
        Avx512BW.Shuffle(table, codes & Vector512.Create((byte)0x0F));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> ShuffleHigh(Vector512<byte> table, Vector512<byte> codes) =>
        Avx512BW.Shuffle(table, (codes.AsUInt16() >>> 4).AsByte() & Vector512.Create((byte)0x0F));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ushort> AddPairs(Vector512<ushort> sum, Vector512<byte> bytes) => sum + bytes.AsUInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ushort> AddOdd(Vector512<ushort> sum, Vector512<byte> bytes) => sum + (bytes.AsUInt16() >>> 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Fold(Vector512<ushort> sum)
    {
        Vector256<ushort> half = sum.GetLower() + sum.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}

/// <summary>AVX2: two blocks per vector.</summary>
internal readonly struct FastScanWidth256 : IFastScanWidth<Vector256<byte>, Vector256<ushort>>
{
    public static int Blocks => 2;

    public static bool IsSupported => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Load(ref byte source, int offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> ShuffleLow(Vector256<byte> table, Vector256<byte> codes) =>
        Avx2.Shuffle(table, codes & Vector256.Create((byte)0x0F));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> ShuffleHigh(Vector256<byte> table, Vector256<byte> codes) =>
        Avx2.Shuffle(table, (codes.AsUInt16() >>> 4).AsByte() & Vector256.Create((byte)0x0F));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> AddPairs(Vector256<ushort> sum, Vector256<byte> bytes) => sum + bytes.AsUInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> AddOdd(Vector256<ushort> sum, Vector256<byte> bytes) => sum + (bytes.AsUInt16() >>> 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Fold(Vector256<ushort> sum) => sum.GetLower() + sum.GetUpper();
}

/// <summary>SSSE3: one block per vector.</summary>
internal readonly struct FastScanWidth128 : IFastScanWidth<Vector128<byte>, Vector128<ushort>>
{
    public static int Blocks => 1;

    public static bool IsSupported => Ssse3.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Load(ref byte source, int offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ShuffleLow(Vector128<byte> table, Vector128<byte> codes) =>
        Ssse3.Shuffle(table, codes & Vector128.Create((byte)0x0F));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ShuffleHigh(Vector128<byte> table, Vector128<byte> codes) =>
        Ssse3.Shuffle(table, (codes.AsUInt16() >>> 4).AsByte() & Vector128.Create((byte)0x0F));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> AddPairs(Vector128<ushort> sum, Vector128<byte> bytes) => sum + bytes.AsUInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> AddOdd(Vector128<ushort> sum, Vector128<byte> bytes) => sum + (bytes.AsUInt16() >>> 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Fold(Vector128<ushort> sum) => sum;
}
