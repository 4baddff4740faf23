using System;
using System.Numerics.Tensors;

namespace FibQuant.Server.Sessions;

/// <summary>
/// Picks the next token from logits: the argmax at temperature 0, otherwise a draw from softmax(logits / T) with a
/// seeded SplitMix64 stream, so the same seed and logits give the same tokens on every run.
/// </summary>
internal sealed class TokenSampler
{
    private readonly float _temperature;
    private readonly float[] _weights;
    private ulong _state;

    /// <summary>A sampler for a vocabulary of <paramref name="vocabularySize"/> tokens.</summary>
    public TokenSampler(float temperature, ulong seed, int vocabularySize)
    {
        if (!float.IsFinite(temperature) || temperature < 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be finite and ≥ 0.");
        _temperature = temperature;
        _state = seed;
        _weights = temperature > 0 ? new float[vocabularySize] : [];
    }

    /// <summary>The next token for <paramref name="logits"/>.</summary>
    public int Next(ReadOnlySpan<float> logits)
    {
        if (_temperature == 0) return TensorPrimitives.IndexOfMax(logits);

        float max = TensorPrimitives.Max(logits);
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float w = MathF.Exp((logits[i] - max) / _temperature);
            _weights[i] = w;
            total += w;
        }
        double target = NextUnit() * total, cumulative = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            cumulative += _weights[i];
            if (target < cumulative) return i;
        }
        return logits.Length - 1;
    }

    private double NextUnit()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / 9007199254740992.0);
    }
}
