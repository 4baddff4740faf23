using System;
using System.Numerics.Tensors;

namespace FibQuant.Llama;

/// <summary>The numeric kernels of the llama2.c forward pass.</summary>
internal static class LlamaMath
{
    /// <summary>RMSNorm epsilon used by llama2.c.</summary>
    public const float RmsEpsilon = 1e-5f;

    /// <summary>output = weight ⊙ (x / sqrt(mean(x²) + ε)).</summary>
    public static void RmsNorm(Span<float> output, ReadOnlySpan<float> x, ReadOnlySpan<float> weight)
    {
        float ss = TensorPrimitives.SumOfSquares(x) / x.Length + RmsEpsilon;
        TensorPrimitives.Multiply(x, 1f / MathF.Sqrt(ss), output);
        TensorPrimitives.Multiply(weight, output, output);
    }

    /// <summary>output = W·x for row-major W of shape (output.Length, x.Length).</summary>
    public static void MatVec(Span<float> output, ReadOnlySpan<float> x, ReadOnlySpan<float> w)
    {
        int n = x.Length;
        if (w.Length != output.Length * n)
            throw new ArgumentException($"matrix has {w.Length} entries, expected {output.Length} × {n}.", nameof(w));
        for (int i = 0; i < output.Length; i++) output[i] = TensorPrimitives.Dot(w.Slice(i * n, n), x);
    }

    /// <summary>Fills the RoPE rotation of position <paramref name="position"/>: freq_i = 10000^(−2i/head_size).</summary>
    public static void RopeAngles(int position, int headSize, Span<float> cos, Span<float> sin)
    {
        for (int i = 0; i < cos.Length; i++)
        {
            float frequency = 1.0f / MathF.Pow(10000.0f, 2 * i / (float)headSize);
            float angle = position * frequency;
            cos[i] = MathF.Cos(angle);
            sin[i] = MathF.Sin(angle);
        }
    }

    /// <summary>Rotates each adjacent pair (2i, 2i+1) of every head in <paramref name="vector"/>.</summary>
    public static void ApplyRope(Span<float> vector, int headSize, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        for (int i = 0; i < vector.Length; i += 2)
        {
            int pair = (i % headSize) / 2;
            float c = cos[pair], s = sin[pair];
            float v0 = vector[i], v1 = vector[i + 1];
            vector[i] = v0 * c - v1 * s;
            vector[i + 1] = v0 * s + v1 * c;
        }
    }

    /// <summary>gate ← silu(gate) ⊙ up, using <paramref name="scratch"/> for the sigmoid.</summary>
    public static void SwiGlu(Span<float> gate, ReadOnlySpan<float> up, Span<float> scratch)
    {
        TensorPrimitives.Sigmoid(gate, scratch);
        TensorPrimitives.Multiply(gate, scratch, gate);
        TensorPrimitives.Multiply(gate, up, gate);
    }
}
