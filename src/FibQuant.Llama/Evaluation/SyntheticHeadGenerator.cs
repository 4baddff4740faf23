using System;
using FibQuant.Design;

namespace FibQuant.Llama.Evaluation;

/// <summary>
/// Seeded synthetic K/V heads that look like a transformer's: each stream is a rotated anisotropic Gaussian
/// (x = R · diag(s) · g with a seeded random orthogonal R and a decaying spectrum s_j = exp(−2j/d)), plus a fixed mean
/// for keys; a few channels are multiplied by <see cref="SyntheticHeadOptions.OutlierScale"/> (the outlier channels
/// seen in real keys and values); keys and queries then get RoPE (channel pairs (2i, 2i+1) rotated by
/// position · 10000^(−2i/d)) at their positions — keys at 0 … T−1, queries at T. Every draw comes from
/// <see cref="DesignRandom"/> streams of the seed, so the same options give the same bits.
/// </summary>
public static class SyntheticHeadGenerator
{
    /// <summary>RoPE base frequency.</summary>
    public const double RopeBase = 10000.0;

    /// <summary>Generates a head.</summary>
    public static SyntheticHead Generate(SyntheticHeadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int d = options.Dimension, t = options.Tokens;
        var random = new DesignRandom(options.Seed, DesignStream.Evaluation);
        double[] keyMixing = RandomOrthogonal(d, random);
        double[] valueMixing = RandomOrthogonal(d, random);
        var keyMean = new double[d];
        for (int i = 0; i < d; i++) keyMean[i] = 0.5 * random.NextGaussian();
        int[] keyOutliers = PickChannels(d, options.OutlierChannels, random);
        int[] valueOutliers = PickChannels(d, options.OutlierChannels, random);
        double[] keyScale = ChannelScale(d, keyOutliers, options.OutlierScale);
        double[] valueScale = ChannelScale(d, valueOutliers, options.OutlierScale);

        var keys = new float[t * d];
        var values = new float[t * d];
        var queries = new float[options.Queries * d];
        var g = new double[d];
        for (int token = 0; token < t; token++)
        {
            Span<float> key = keys.AsSpan(token * d, d);
            Draw(keyMixing, keyMean, keyScale, g, random, key);
            ApplyRope(key, token);
            Draw(valueMixing, null, valueScale, g, random, values.AsSpan(token * d, d));
        }

        for (int q = 0; q < options.Queries; q++)
        {
            Span<float> query = queries.AsSpan(q * d, d);
            Draw(keyMixing, keyMean, keyScale, g, random, query);
            ApplyRope(query, t);
        }

        return new SyntheticHead(options, keys, values, queries, keyOutliers, valueOutliers);
    }

    /// <summary>Rotates each channel pair (2i, 2i+1) of <paramref name="vector"/> by position · base^(−2i/d) in place.</summary>
    public static void ApplyRope(Span<float> vector, int position)
    {
        int d = vector.Length;
        if (d % 2 != 0) throw new ArgumentException("RoPE needs an even length.", nameof(vector));
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        for (int i = 0; i < d; i += 2)
        {
            double angle = position * Math.Pow(RopeBase, -(double)i / d);
            double c = Math.Cos(angle), s = Math.Sin(angle);
            double x = vector[i], y = vector[i + 1];
            vector[i] = (float)(x * c - y * s);
            vector[i + 1] = (float)(x * s + y * c);
        }
    }

    /// <summary>One vector: channel-scaled (R · diag(spectrum) · g) + mean.</summary>
    private static void Draw(double[] mixing, double[]? mean, double[] channelScale, double[] g, DesignRandom random, Span<float> output)
    {
        int d = output.Length;
        for (int j = 0; j < d; j++) g[j] = Math.Exp(-2.0 * j / d) * random.NextGaussian();
        for (int i = 0; i < d; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++) sum += mixing[i * d + j] * g[j];
            if (mean is not null) sum += mean[i];
            output[i] = (float)(sum * channelScale[i]);
        }
    }

    /// <summary>A seeded random orthogonal d×d matrix (Gram–Schmidt on a Gaussian matrix, row-major).</summary>
    private static double[] RandomOrthogonal(int d, DesignRandom random)
    {
        var m = new double[d * d];
        for (int i = 0; i < m.Length; i++) m[i] = random.NextGaussian();
        for (int r = 0; r < d; r++)
        {
            for (int prev = 0; prev < r; prev++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += m[r * d + j] * m[prev * d + j];
                for (int j = 0; j < d; j++) m[r * d + j] -= dot * m[prev * d + j];
            }

            double norm = 0;
            for (int j = 0; j < d; j++) norm += m[r * d + j] * m[r * d + j];
            norm = Math.Sqrt(norm);
            for (int j = 0; j < d; j++) m[r * d + j] /= norm;
        }

        return m;
    }

    /// <summary><paramref name="count"/> distinct channels, ascending (partial Fisher–Yates).</summary>
    private static int[] PickChannels(int d, int count, DesignRandom random)
    {
        var all = new int[d];
        for (int i = 0; i < d; i++) all[i] = i;
        for (int i = 0; i < count; i++)
        {
            int j = i + (int)(random.NextUInt64() % (ulong)(d - i));
            (all[i], all[j]) = (all[j], all[i]);
        }

        int[] picked = all.AsSpan(0, count).ToArray();
        Array.Sort(picked);
        return picked;
    }

    private static double[] ChannelScale(int d, int[] outliers, double scale)
    {
        var s = new double[d];
        Array.Fill(s, 1.0);
        foreach (int c in outliers) s[c] = scale;
        return s;
    }
}
