using System;

namespace FibQuant.Llama;

/// <summary>Scratch buffers of one forward pass, allocated once per session (run.c's <c>RunState</c>).</summary>
internal sealed class LlamaRunState
{
    public LlamaRunState(LlamaConfig config)
    {
        int d = config.Dimension, h = config.HiddenDimension, q = config.HeadCount * config.HeadSize;
        X = new float[d];
        Xb = new float[Math.Max(d, q)];
        Xb2 = new float[d];
        Hb = new float[h];
        Hb2 = new float[h];
        Gate = new float[h];
        Q = new float[q];
        K = new float[config.KvDimension];
        V = new float[config.KvDimension];
        RopeCos = new float[config.HeadSize / 2];
        RopeSin = new float[config.HeadSize / 2];
        Logits = new float[config.VocabularySize];
    }

    /// <summary>Residual stream.</summary>
    public float[] X { get; }

    /// <summary>Normalised input / attention output (n_heads·head_size).</summary>
    public float[] Xb { get; }

    /// <summary>Projection output added back to the residual stream.</summary>
    public float[] Xb2 { get; }

    /// <summary>SwiGLU gate branch (w1), then the gated product.</summary>
    public float[] Hb { get; }

    /// <summary>SwiGLU up branch (w3).</summary>
    public float[] Hb2 { get; }

    /// <summary>Sigmoid of the gate branch.</summary>
    public float[] Gate { get; }

    /// <summary>Queries of all heads.</summary>
    public float[] Q { get; }

    /// <summary>Keys of all KV heads at the current position.</summary>
    public float[] K { get; }

    /// <summary>Values of all KV heads at the current position.</summary>
    public float[] V { get; }

    /// <summary>cos(pos·freq_i) for each rotated pair i of a head.</summary>
    public float[] RopeCos { get; }

    /// <summary>sin(pos·freq_i) for each rotated pair i of a head.</summary>
    public float[] RopeSin { get; }

    /// <summary>Output logits (vocab).</summary>
    public float[] Logits { get; }
}
