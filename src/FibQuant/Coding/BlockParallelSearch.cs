using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FibQuant.Simd;

namespace FibQuant.Coding;

/// <summary>
/// Exact search for small codebooks, one block per lane: the blocks' coordinates go into k planes (k = 1 as they are,
/// k = 2 split into even and odd lanes while loading, k &gt; 2 transposed on the stack), then every codeword c = 0…N−1 is scored against 16, 8, 4 or 1 blocks at once. Each lane computes the scalar sequence
/// Σ_j (y_j − c_j)² (j = 0…k−1, from 0, multiply then add) and keeps c only on strict less, so a lane returns exactly
/// what the one-block scan returns: the same codes on every instruction set.
/// </summary>
internal static class BlockParallelSearch
{
    /// <summary>Largest N this search is used for (beyond it the codeword-parallel search is as fast).</summary>
    public const int MaxCodewords = 64;

    /// <summary>Largest blocks·k handled (the planes live on the stack).</summary>
    public const int MaxValues = 1024;

    /// <summary>
    /// Encodes the d/k blocks of <paramref name="blocks"/> (d = <paramref name="dims"/>.Dimension ≤ <see cref="MaxValues"/>
    /// values) into <paramref name="indices"/>; returns the count encoded (the rest is left to the one-block scan).
    /// </summary>
    [SkipLocalsInit]
    public static int Run<TDims>(in TDims dims, ReadOnlySpan<float> blocks, ReadOnlySpan<float> transposed, Span<ushort> indices)
        where TDims : struct, ICodecDimensions
    {
        int k = dims.BlockSize, count = dims.Dimension / k;
        // k = 1 and k = 2 read the blocks as they are (k = 2 splits pairs in registers). Otherwise
        // planes[j * count + b] = block b's coordinate j.
        Span<float> transposedBlocks = k > 2 ? stackalloc float[dims.Dimension] : default;
        ref float source = ref MemoryMarshal.GetReference(blocks);
        ref float target = ref MemoryMarshal.GetReference(transposedBlocks);
        for (int b = 0; b < count && k > 2; b++)
            for (int j = 0; j < k; j++)
                Unsafe.Add(ref target, j * count + b) = Unsafe.Add(ref source, b * k + j);
        ref float plane = ref k > 2 ? ref target : ref source;
        ref float table = ref MemoryMarshal.GetReference(transposed);
        ref ushort output = ref MemoryMarshal.GetReference(indices);
        int b0 = Groups<Lanes512, TDims>(in dims, ref plane, 0, ref table, ref output);
        b0 = Groups<Lanes256, TDims>(in dims, ref plane, b0, ref table, ref output);
        b0 = Groups<Lanes128, TDims>(in dims, ref plane, b0, ref table, ref output);
        return Groups<ScalarLanes, TDims>(in dims, ref plane, b0, ref table, ref output);
    }

    /// <summary>
    /// Blocks b … of the d/k blocks, <typeparamref name="TLanes"/>.Count at a time; returns the first block not done.
    /// <paramref name="plane"/> holds the blocks themselves for k ≤ 2 and the k planes for k &gt; 2.
    /// </summary>
    internal static int Groups<TLanes, TDims>(in TDims dims, ref float plane, int b, ref float table, ref ushort output)
        where TLanes : struct, IFloatLanes<TLanes>
        where TDims : struct, ICodecDimensions
    {
        if (!TLanes.IsAccelerated) return b;
        int k = dims.BlockSize, n = dims.Codewords, count = dims.Dimension / k;
        for (; b + TLanes.Count <= count; b += TLanes.Count)
        {
            // Coordinates 0 and 1 stay in registers for the whole scan over the codewords.
            TLanes y0, y1;
            if (k == 2)
            {
                y0 = TLanes.LoadEven(ref plane, (nuint)(2 * b));
                y1 = TLanes.LoadOdd(ref plane, (nuint)(2 * b));
            }
            else
            {
                y0 = TLanes.Load(ref plane, (nuint)b);
                y1 = k > 2 ? TLanes.Load(ref plane, (nuint)(count + b)) : y0;
            }

            TLanes best = TLanes.Broadcast(float.PositiveInfinity);
            TLanes bestIndex = TLanes.Broadcast(0f);
            for (int c = 0; c < n; c++)
            {
                // The sum starts at coordinate 0's square: 0 + y is y for every y ≥ 0, so the bits are those of a sum from 0.
                TLanes diff = y0 - TLanes.Broadcast(Unsafe.Add(ref table, c));
                TLanes acc = diff * diff;
                if (k > 1)
                {
                    diff = y1 - TLanes.Broadcast(Unsafe.Add(ref table, n + c));
                    acc += diff * diff;
                }

                for (int j = 2; j < k; j++)
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
