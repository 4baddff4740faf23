using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Simd;

namespace FibQuant.Coding;

/// <summary>
/// Exact search for small codebooks, one block per lane: the blocks' coordinates are transposed into k planes, then
/// every codeword c = 0…N−1 is scored against 16, 8, 4 or 1 blocks at once. Each lane computes the scalar sequence
/// Σ_j (y_j − c_j)² (j = 0…k−1, from 0, multiply then add) and keeps c only on strict less, so a lane returns exactly
/// what the one-block scan returns: the same codes on every instruction set.
/// </summary>
internal static class BlockParallelSearch
{
    /// <summary>Largest N this search is used for (beyond it the codeword-parallel search is as fast).</summary>
    public const int MaxCodewords = 64;

    /// <summary>Largest blocks·k handled (the planes live on the stack).</summary>
    public const int MaxValues = 1024;

    /// <summary>Encodes every block; the caller guarantees blocks.Length = indices.Length·k ≤ <see cref="MaxValues"/>. Returns the count.</summary>
    [SkipLocalsInit]
    public static int Run(ReadOnlySpan<float> blocks, ReadOnlySpan<float> transposed, int k, int n, Span<ushort> indices)
    {
        int count = indices.Length;
        // k = 1: the values already are the single plane. Otherwise planes[j * count + b] = block b's coordinate j.
        Span<float> transposedBlocks = k > 1 ? stackalloc float[k * count] : default;
        ref float source = ref MemoryMarshal.GetReference(blocks);
        ref float target = ref MemoryMarshal.GetReference(transposedBlocks);
        for (int b = 0; b < count && k > 1; b++)
            for (int j = 0; j < k; j++)
                Unsafe.Add(ref target, j * count + b) = Unsafe.Add(ref source, b * k + j);
        ReadOnlySpan<float> planes = k > 1 ? transposedBlocks : blocks;

        ref float plane = ref MemoryMarshal.GetReference(planes);
        ref float table = ref MemoryMarshal.GetReference(transposed);
        ref ushort output = ref MemoryMarshal.GetReference(indices);
        int b0 = Groups<Lanes512>(ref plane, count, 0, ref table, k, n, ref output);
        b0 = Groups<Lanes256>(ref plane, count, b0, ref table, k, n, ref output);
        b0 = Groups<Lanes128>(ref plane, count, b0, ref table, k, n, ref output);
        return Groups<ScalarLanes>(ref plane, count, b0, ref table, k, n, ref output);
    }

    internal static int Groups<TLanes>(ref float plane, int count, int b, ref float table, int k, int n, ref ushort output)
        where TLanes : struct, IFloatLanes<TLanes>
    {
        if (!TLanes.IsAccelerated) return b;
        for (; b + TLanes.Count <= count; b += TLanes.Count)
        {
            TLanes best = TLanes.Broadcast(float.PositiveInfinity);
            TLanes bestIndex = TLanes.Broadcast(0f);
            for (int c = 0; c < n; c++)
            {
                // The sum starts at coordinate 0's square: 0 + y is y for every y ≥ 0, so the bits are those of a sum from 0.
                TLanes diff = TLanes.Load(ref plane, (nuint)b) - TLanes.Broadcast(Unsafe.Add(ref table, c));
                TLanes acc = diff * diff;
                for (int j = 1; j < k; j++)
                {
                    diff = TLanes.Load(ref plane, (nuint)(j * count + b)) - TLanes.Broadcast(Unsafe.Add(ref table, j * n + c));
                    acc += diff * diff;
                }

                TLanes less = TLanes.LessThan(acc, best);
                best = TLanes.Select(less, acc, best);
                bestIndex = TLanes.Select(less, TLanes.Broadcast(c), bestIndex);
            }

            TLanes.StoreAsUInt16(bestIndex, ref output, (nuint)b);
        }

        return b;
    }
}
