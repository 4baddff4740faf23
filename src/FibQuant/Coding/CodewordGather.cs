using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Coding;

/// <summary>Decode's gather: blocks[i·k … i·k+k) = table row indices[i]. Pure copies, so every path gives the same bits.</summary>
internal static class CodewordGather
{
    /// <summary>Gathers the d/k codewords of one code; over a generated layout k and the count are constants.</summary>
    public static void Gather<TDims>(in TDims dims, ReadOnlySpan<float> table, ReadOnlySpan<ushort> indices, Span<float> blocks)
        where TDims : struct, ICodecDimensions
    {
        ref float source = ref MemoryMarshal.GetReference(table);
        ref float target = ref MemoryMarshal.GetReference(blocks);
        int k = dims.BlockSize, count = dims.Dimension / k;
        indices = indices.Slice(0, count);
        switch (k)
        {
            case 1:
                for (int i = 0; i < indices.Length; i++) Unsafe.Add(ref target, i) = table[indices[i]];
                return;
            case 2:
                for (int i = 0; i < indices.Length; i++)
                {
                    ulong pair = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, Row(table, indices[i], 2))));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 2 * i)), pair);
                }

                return;
            case 4:
                for (int i = 0; i < indices.Length; i++)
                    Vector128.LoadUnsafe(ref source, (nuint)Row(table, indices[i], 4)).StoreUnsafe(ref target, (nuint)(4 * i));
                return;
            case 8:
                for (int i = 0; i < indices.Length; i++)
                    Vector256.LoadUnsafe(ref source, (nuint)Row(table, indices[i], 8)).StoreUnsafe(ref target, (nuint)(8 * i));
                return;
            default:
                for (int i = 0; i < indices.Length; i++) table.Slice(indices[i] * k, k).CopyTo(blocks.Slice(i * k, k));
                return;
        }
    }

    // Row start of codeword index; indices come from Unpack (below 2^bits = N), checked again here for memory safety.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Row(ReadOnlySpan<float> table, int index, int k)
    {
        int start = index * k;
        if ((uint)(start + k) > (uint)table.Length) ThrowIndex(index);
        return start;
    }

    private static void ThrowIndex(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, "Codeword index is outside the table.");
}
