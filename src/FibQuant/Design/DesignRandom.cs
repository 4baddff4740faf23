using System;

namespace FibQuant.Design;

/// <summary>
/// The design's only source of randomness: xoshiro256** seeded through SplitMix64, with named streams so the
/// training sample, the restart noise and the rotation never share numbers. Not <see cref="System.Random"/>,
/// whose algorithm is not a cross-version contract.
/// </summary>
public sealed class DesignRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates the generator for <paramref name="seed"/> and an independent <paramref name="stream"/>.</summary>
    public DesignRandom(ulong seed, DesignStream stream)
    {
        ulong x = seed ^ (0x9E3779B97F4A7C15UL * ((ulong)stream + 1));
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Next 64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform double in (0, 1): never exactly zero, safe for logarithms.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>Standard normal variate (Marsaglia's polar method: needs only log and sqrt).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * DeterministicMath.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpare = true;
        return u * factor;
    }

    /// <summary>Gamma(shape, 1) variate (Marsaglia–Tsang; shapes below one boosted by U^(1/shape)).</summary>
    public double NextGamma(double shape)
    {
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "Gamma shape must be > 0.");
        if (shape < 1.0)
        {
            double boosted = NextGamma(shape + 1.0);
            return boosted * DeterministicMath.Pow(NextOpenDouble(), 1.0 / shape);
        }

        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextGaussian();
                v = 1.0 + c * x;
            }
            while (v <= 0.0);

            v = v * v * v;
            double u = NextOpenDouble();
            double x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
            if (DeterministicMath.Log(u) < 0.5 * x2 + d * (1.0 - v + DeterministicMath.Log(v))) return d * v;
        }
    }

    /// <summary>Beta(a, b) variate as G_a / (G_a + G_b).</summary>
    public double NextBeta(double a, double b)
    {
        double x = NextGamma(a);
        double y = NextGamma(b);
        return x / (x + y);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>Independent random streams drawn from one spec seed.</summary>
public enum DesignStream
{
    /// <summary>The spherical-Beta training sample.</summary>
    Training = 0,
    /// <summary>Noise added to the initial codebook for restarts 1…R−1.</summary>
    RestartNoise = 1,
    /// <summary>The Haar matrix or the Hadamard sign flips.</summary>
    Rotation = 2,
    /// <summary>Held-out evaluation vectors (tests, CLI inspect).</summary>
    Evaluation = 3,
}
