using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Coding;

/// <summary>Decode's gather: blocks[i·k … i·k+k) = table row indices[i]. Pure copies, so every path gives the same bits.</summary>
internal static class CodewordGather
{
    /// <summary>
    /// Gathers the d/k codewords of one code; over a generated layout k and the count are constants. Each index is masked
    /// to log2 N bits (indices come from unpacking that many bits, so the mask changes nothing) and the table is checked
    /// once to hold N rows: every read stays inside the table without a check per index.
    /// </summary>
    public static void Gather<TDims>(in TDims dims, ReadOnlySpan<float> table, ReadOnlySpan<ushort> indices, Span<float> blocks)
        where TDims : struct, ICodecDimensions
    {
        int k = dims.BlockSize, count = dims.Dimension / k, mask = dims.Codewords - 1;
        if (table.Length < dims.Codewords * k || blocks.Length < count * k)
            throw new ArgumentException($"The table must hold N·k = {dims.Codewords * k} values and blocks d = {count * k}.", nameof(table));
        ref float source = ref MemoryMarshal.GetReference(table);
        ref float target = ref MemoryMarshal.GetReference(blocks);
        indices = indices.Slice(0, count);
        switch (k)
        {
            case 1:
                for (int i = 0; i < indices.Length; i++) Unsafe.Add(ref target, i) = Unsafe.Add(ref source, indices[i] & mask);
                return;
            case 2:
                for (int i = 0; i < indices.Length; i++)
                {
                    ulong pair = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, 2 * (indices[i] & mask))));
                    Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref target, 2 * i)), pair);
                }

                return;
            case 4:
                for (int i = 0; i < indices.Length; i++)
                    Vector128.LoadUnsafe(ref source, (nuint)(4 * (indices[i] & mask))).StoreUnsafe(ref target, (nuint)(4 * i));
                return;
            case 8:
                for (int i = 0; i < indices.Length; i++)
                    Vector256.LoadUnsafe(ref source, (nuint)(8 * (indices[i] & mask))).StoreUnsafe(ref target, (nuint)(8 * i));
                return;
            default:
                for (int i = 0; i < indices.Length; i++) table.Slice((indices[i] & mask) * k, k).CopyTo(blocks.Slice(i * k, k));
                return;
        }
    }
}
