using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FibQuant.Coding;

/// <summary>
/// Exact search for small codebooks, one block per lane: the blocks' coordinates are transposed into k planes, then
/// every codeword c = 0…N−1 is scored against 16, 8 or 4 blocks at once. Each lane computes the scalar sequence
/// Σ_j (y_j − c_j)² (j = 0…k−1, from 0, multiply then add) and keeps c only on strict less, so a lane returns exactly
/// what the one-block scan returns: the same codes on every instruction set.
/// </summary>
internal static class BlockParallelSearch
{
    /// <summary>Largest N this search is used for (beyond it the codeword-parallel search is as fast).</summary>
    public const int MaxCodewords = 64;

    /// <summary>Largest blocks·k handled (the planes live on the stack).</summary>
    public const int MaxValues = 1024;

    /// <summary>Encodes the leading whole groups of blocks; returns how many blocks it encoded (the rest is the caller's).</summary>
    public static int Run(ReadOnlySpan<float> blocks, float[] transposed, int k, int n, Span<ushort> indices)
    {
        int count = indices.Length;
        int width = Vector512.IsHardwareAccelerated && count >= Vector512<float>.Count ? Vector512<float>.Count
            : Vector256.IsHardwareAccelerated && count >= Vector256<float>.Count ? Vector256<float>.Count
            : Vector128.IsHardwareAccelerated && count >= Vector128<float>.Count ? Vector128<float>.Count
            : 0;
        if (width == 0) return 0;
        int groups = count / width * width;
        Span<float> planes = stackalloc float[k * count]; // planes[j * count + b] = block b's coordinate j
        for (int b = 0; b < count; b++)
            for (int j = 0; j < k; j++)
                planes[j * count + b] = blocks[b * k + j];

        ref float plane = ref MemoryMarshal.GetReference(planes);
        ref ushort output = ref MemoryMarshal.GetReference(indices);
        for (int b = 0; b < groups; b += width)
        {
            if (width == Vector512<float>.Count) Group512(ref plane, count, b, transposed, k, n, ref output);
            else if (width == Vector256<float>.Count) Group256(ref plane, count, b, transposed, k, n, ref output);
            else Group128(ref plane, count, b, transposed, k, n, ref output);
        }

        return groups;
    }

    private static void Group512(ref float plane, int count, int b, float[] transposed, int k, int n, ref ushort output)
    {
        var best = Vector512.Create(float.PositiveInfinity);
        var bestIndex = Vector512<int>.Zero;
        for (int c = 0; c < n; c++)
        {
            var acc = Vector512<float>.Zero;
            for (int j = 0; j < k; j++)
            {
                var diff = Vector512.LoadUnsafe(ref plane, (nuint)(j * count + b)) - Vector512.Create(transposed[j * n + c]);
                acc += diff * diff;
            }

            var less = Vector512.LessThan(acc, best);
            best = Vector512.ConditionalSelect(less, acc, best);
            bestIndex = Vector512.ConditionalSelect(less.AsInt32(), Vector512.Create(c), bestIndex);
        }

        Vector512.Narrow(bestIndex.AsUInt32(), Vector512<uint>.Zero).GetLower().StoreUnsafe(ref output, (nuint)b);
    }

    private static void Group256(ref float plane, int count, int b, float[] transposed, int k, int n, ref ushort output)
    {
        var best = Vector256.Create(float.PositiveInfinity);
        var bestIndex = Vector256<int>.Zero;
        for (int c = 0; c < n; c++)
        {
            var acc = Vector256<float>.Zero;
            for (int j = 0; j < k; j++)
            {
                var diff = Vector256.LoadUnsafe(ref plane, (nuint)(j * count + b)) - Vector256.Create(transposed[j * n + c]);
                acc += diff * diff;
            }

            var less = Vector256.LessThan(acc, best);
            best = Vector256.ConditionalSelect(less, acc, best);
            bestIndex = Vector256.ConditionalSelect(less.AsInt32(), Vector256.Create(c), bestIndex);
        }

        Vector256.Narrow(bestIndex.AsUInt32(), Vector256<uint>.Zero).GetLower().StoreUnsafe(ref output, (nuint)b);
    }

    private static void Group128(ref float plane, int count, int b, float[] transposed, int k, int n, ref ushort output)
    {
        var best = Vector128.Create(float.PositiveInfinity);
        var bestIndex = Vector128<int>.Zero;
        for (int c = 0; c < n; c++)
        {
            var acc = Vector128<float>.Zero;
            for (int j = 0; j < k; j++)
            {
                var diff = Vector128.LoadUnsafe(ref plane, (nuint)(j * count + b)) - Vector128.Create(transposed[j * n + c]);
                acc += diff * diff;
            }

            var less = Vector128.LessThan(acc, best);
            best = Vector128.ConditionalSelect(less, acc, best);
            bestIndex = Vector128.ConditionalSelect(less.AsInt32(), Vector128.Create(c), bestIndex);
        }

        Vector128.Narrow(bestIndex.AsUInt32(), Vector128<uint>.Zero).GetLower().StoreUnsafe(ref output, (nuint)b);
    }
}
