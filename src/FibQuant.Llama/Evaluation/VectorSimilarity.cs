using System;

namespace FibQuant.Llama.Evaluation;

/// <summary>Cosine similarity accumulated in double in index order (deterministic, allocation-free).</summary>
public static class VectorSimilarity
{
    /// <summary>
    /// ⟨a, b⟩ / (‖a‖ ‖b‖); 1 when both vectors are zero, 0 when exactly one is.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Lengths differ: {a.Length} vs {b.Length}.", nameof(b));
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i], y = b[i];
            dot += x * y;
            aa += x * x;
            bb += y * y;
        }

        if (aa == 0 || bb == 0) return aa == bb ? 1.0 : 0.0;
        return dot / Math.Sqrt(aa * bb);
    }
}
