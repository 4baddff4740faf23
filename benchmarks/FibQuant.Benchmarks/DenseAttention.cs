using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FibQuant.Benchmarks;

/// <summary>
/// The strongest uncompressed attention steps we could write, as baselines for the compressed kernels: one query,
/// d = 128, keys and values row-major. The fp32 step keeps the query and the output in eight 16-lane registers and
/// streams each key and value once; the fp16 step does the same, widening each 16-element chunk in registers
/// (exact half → single with integer ops: .NET exposes no F16C conversion). Softmax is TensorPrimitives' in both.
/// </summary>
public static class DenseAttention
{
    /// <summary>The head dimension these loops are written for (eight 16-lane registers).</summary>
    public const int Dimension = 128;

    // 2^112 = 2^(127 − 15): moves a half's exponent bias to a single's.
    private const float TwoTo112 = 5.192296858534828e33f;

    /// <summary>Whether the Vector512 loops can run here.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>scores[t] = scale · ⟨query, keys_t⟩ over fp32 keys.</summary>
    public static void Scores(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, float scale, Span<float> scores)
    {
        int length = Check(query, keys.Length, scores);
        ref float q = ref MemoryMarshal.GetReference(query);
        Vector512<float> q0 = Vector512.LoadUnsafe(ref q, 0), q1 = Vector512.LoadUnsafe(ref q, 16), q2 = Vector512.LoadUnsafe(ref q, 32);
        Vector512<float> q3 = Vector512.LoadUnsafe(ref q, 48), q4 = Vector512.LoadUnsafe(ref q, 64), q5 = Vector512.LoadUnsafe(ref q, 80);
        Vector512<float> q6 = Vector512.LoadUnsafe(ref q, 96), q7 = Vector512.LoadUnsafe(ref q, 112);
        ref float k = ref MemoryMarshal.GetReference(keys);
        for (int t = 0; t < length; t++)
        {
            ref float key = ref Unsafe.Add(ref k, t * Dimension);
            Vector512<float> a = Vector512.LoadUnsafe(ref key, 0) * q0, b = Vector512.LoadUnsafe(ref key, 16) * q1;
            a = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref key, 32), q2, a);
            b = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref key, 48), q3, b);
            a = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref key, 64), q4, a);
            b = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref key, 80), q5, b);
            a = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref key, 96), q6, a);
            b = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref key, 112), q7, b);
            scores[t] = scale * Vector512.Sum(a + b);
        }
    }

    /// <summary>scores[t] = scale · ⟨query, keys_t⟩ over fp16 keys.</summary>
    public static void Scores(ReadOnlySpan<float> query, ReadOnlySpan<Half> keys, float scale, Span<float> scores)
    {
        int length = Check(query, keys.Length, scores);
        ref float q = ref MemoryMarshal.GetReference(query);
        Vector512<float> q0 = Vector512.LoadUnsafe(ref q, 0), q1 = Vector512.LoadUnsafe(ref q, 16), q2 = Vector512.LoadUnsafe(ref q, 32);
        Vector512<float> q3 = Vector512.LoadUnsafe(ref q, 48), q4 = Vector512.LoadUnsafe(ref q, 64), q5 = Vector512.LoadUnsafe(ref q, 80);
        Vector512<float> q6 = Vector512.LoadUnsafe(ref q, 96), q7 = Vector512.LoadUnsafe(ref q, 112);
        ref ushort k = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(keys));
        for (int t = 0; t < length; t++)
        {
            ref ushort key = ref Unsafe.Add(ref k, t * Dimension);
            Vector512<float> a = Widen(ref key, 0) * q0, b = Widen(ref key, 16) * q1;
            a = Avx512F.FusedMultiplyAdd(Widen(ref key, 32), q2, a);
            b = Avx512F.FusedMultiplyAdd(Widen(ref key, 48), q3, b);
            a = Avx512F.FusedMultiplyAdd(Widen(ref key, 64), q4, a);
            b = Avx512F.FusedMultiplyAdd(Widen(ref key, 80), q5, b);
            a = Avx512F.FusedMultiplyAdd(Widen(ref key, 96), q6, a);
            b = Avx512F.FusedMultiplyAdd(Widen(ref key, 112), q7, b);
            scores[t] = scale * Vector512.Sum(a + b);
        }
    }

    /// <summary>One fp32 attention step: output = Σ_t softmax_t(scale · ⟨query, keys_t⟩) · values_t.</summary>
    public static void Attend(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, float scale,
        Span<float> scores, Span<float> output)
    {
        int length = Check(query, keys.Length, scores);
        if (values.Length != keys.Length || output.Length != Dimension) throw new ArgumentException("values / output do not match keys / d.");
        Scores(query, keys, scale, scores);
        Span<float> p = Softmax(scores.Slice(0, length));
        ref float v = ref MemoryMarshal.GetReference(values);
        Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default, o4 = default, o5 = default, o6 = default, o7 = default;
        for (int t = 0; t < length; t++)
        {
            ref float value = ref Unsafe.Add(ref v, t * Dimension);
            Vector512<float> w = Vector512.Create(p[t]);
            o0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 0), w, o0);
            o1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 16), w, o1);
            o2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 32), w, o2);
            o3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 48), w, o3);
            o4 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 64), w, o4);
            o5 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 80), w, o5);
            o6 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 96), w, o6);
            o7 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref value, 112), w, o7);
        }

        Store(output, o0, o1, o2, o3, o4, o5, o6, o7);
    }

    /// <summary>One fp16 attention step (keys and values widened chunk by chunk in registers).</summary>
    public static void Attend(ReadOnlySpan<float> query, ReadOnlySpan<Half> keys, ReadOnlySpan<Half> values, float scale,
        Span<float> scores, Span<float> output)
    {
        int length = Check(query, keys.Length, scores);
        if (values.Length != keys.Length || output.Length != Dimension) throw new ArgumentException("values / output do not match keys / d.");
        Scores(query, keys, scale, scores);
        Span<float> p = Softmax(scores.Slice(0, length));
        ref ushort v = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(values));
        Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default, o4 = default, o5 = default, o6 = default, o7 = default;
        for (int t = 0; t < length; t++)
        {
            ref ushort value = ref Unsafe.Add(ref v, t * Dimension);
            Vector512<float> w = Vector512.Create(p[t]);
            o0 = Avx512F.FusedMultiplyAdd(Widen(ref value, 0), w, o0);
            o1 = Avx512F.FusedMultiplyAdd(Widen(ref value, 16), w, o1);
            o2 = Avx512F.FusedMultiplyAdd(Widen(ref value, 32), w, o2);
            o3 = Avx512F.FusedMultiplyAdd(Widen(ref value, 48), w, o3);
            o4 = Avx512F.FusedMultiplyAdd(Widen(ref value, 64), w, o4);
            o5 = Avx512F.FusedMultiplyAdd(Widen(ref value, 80), w, o5);
            o6 = Avx512F.FusedMultiplyAdd(Widen(ref value, 96), w, o6);
            o7 = Avx512F.FusedMultiplyAdd(Widen(ref value, 112), w, o7);
        }

        Store(output, o0, o1, o2, o3, o4, o5, o6, o7);
    }

    /// <summary>
    /// 16 halves → 16 singles, exactly: the magnitude bits shifted into single position and multiplied by 2^112
    /// re-bias the exponent (and normalise subnormals); exponent 31 (Inf / NaN) is forced to 255; the sign is copied.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Widen(ref ushort source, nuint offset)
    {
        Vector512<uint> h = Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref source, offset));
        Vector512<float> magnitude = ((h & Vector512.Create(0x7FFFu)) << 13).AsSingle() * Vector512.Create(TwoTo112);
        Vector512<uint> special = Vector512.Equals(h & Vector512.Create(0x7C00u), Vector512.Create(0x7C00u)) & Vector512.Create(0x7F800000u);
        return (magnitude.AsUInt32() | special | ((h & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }

    private static Span<float> Softmax(Span<float> p)
    {
        float max = TensorPrimitives.Max(p);
        TensorPrimitives.Subtract(p, max, p);
        TensorPrimitives.Exp(p, p);
        TensorPrimitives.Multiply(p, 1f / TensorPrimitives.Sum(p), p);
        return p;
    }

    private static void Store(Span<float> output, Vector512<float> o0, Vector512<float> o1, Vector512<float> o2, Vector512<float> o3,
        Vector512<float> o4, Vector512<float> o5, Vector512<float> o6, Vector512<float> o7)
    {
        ref float o = ref MemoryMarshal.GetReference(output);
        o0.StoreUnsafe(ref o, 0);
        o1.StoreUnsafe(ref o, 16);
        o2.StoreUnsafe(ref o, 32);
        o3.StoreUnsafe(ref o, 48);
        o4.StoreUnsafe(ref o, 64);
        o5.StoreUnsafe(ref o, 80);
        o6.StoreUnsafe(ref o, 96);
        o7.StoreUnsafe(ref o, 112);
    }

    private static int Check(ReadOnlySpan<float> query, int keyValues, Span<float> scores)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("The dense baselines need AVX-512F.");
        if (query.Length != Dimension) throw new ArgumentException($"query must have length {Dimension}.", nameof(query));
        if (keyValues == 0 || keyValues % Dimension != 0) throw new ArgumentException($"keys must hold a positive multiple of {Dimension} values.");
        int length = keyValues / Dimension;
        if (scores.Length < length) throw new ArgumentException($"scores must hold {length} values.", nameof(scores));
        return length;
    }
}
