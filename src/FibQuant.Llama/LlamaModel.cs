using System;
using System.Numerics.Tensors;
using FibQuant.Attention;

namespace FibQuant.Llama;

/// <summary>
/// A llama2.c transformer (RMSNorm, RoPE, grouped-query attention, SwiGLU) whose attention reads keys and values
/// through <see cref="IKeyValueCache"/>s. The model is immutable and may be shared by any number of
/// <see cref="LlamaSession"/>s, each of which owns its caches, scratch buffers and position.
/// </summary>
public sealed class LlamaModel
{
    /// <summary>Wraps loaded weights.</summary>
    public LlamaModel(LlamaWeights weights)
    {
        Weights = weights ?? throw new ArgumentNullException(nameof(weights));
    }

    /// <summary>The model's weights.</summary>
    public LlamaWeights Weights { get; }

    /// <summary>The model's configuration.</summary>
    public LlamaConfig Config => Weights.Config;

    /// <summary>Loads a model from a llama2.c checkpoint file.</summary>
    public static LlamaModel Load(string checkpointPath) => new(LlamaWeights.Load(checkpointPath));

    /// <summary>
    /// Starts a session whose cache for (layer, kv head) is <c>cacheFactory(layer, kvHead, headSize)</c>;
    /// <paramref name="observer"/>, when given, sees every attention output.
    /// </summary>
    public LlamaSession CreateSession(Func<int, int, int, IKeyValueCache> cacheFactory, IAttentionObserver? observer = null) =>
        new(this, cacheFactory, observer);

    /// <summary>Starts a session with uncompressed <see cref="Float32KeyValueCache"/>s (the reference).</summary>
    public LlamaSession CreateFloat32Session(IAttentionObserver? observer = null) =>
        new(this, static (_, _, d) => new Float32KeyValueCache(d), observer);

    /// <summary>One forward pass of <paramref name="token"/> at <paramref name="position"/>; returns the logits buffer.</summary>
    internal Span<float> Forward(LlamaRunState s, IKeyValueCache[] caches, IAttentionObserver? observer, int token, int position)
    {
        LlamaConfig p = Config;
        LlamaWeights w = Weights;
        int headSize = p.HeadSize, kvMul = p.QueryHeadsPerKvHead, qDim = p.HeadCount * headSize;
        float scale = 1f / MathF.Sqrt(headSize);
        Span<float> x = s.X, q = s.Q, k = s.K, v = s.V, xb2 = s.Xb2, hb = s.Hb, hb2 = s.Hb2;
        Span<float> xb = s.Xb.AsSpan(0, p.Dimension), att = s.Xb.AsSpan(0, qDim);

        w.Embedding(token).CopyTo(x);
        LlamaMath.RopeAngles(position, headSize, s.RopeCos, s.RopeSin);

        for (int l = 0; l < p.LayerCount; l++)
        {
            LlamaMath.RmsNorm(xb, x, w.RmsAttention(l));
            LlamaMath.MatVec(q, xb, w.Wq(l));
            LlamaMath.MatVec(k, xb, w.Wk(l));
            LlamaMath.MatVec(v, xb, w.Wv(l));
            LlamaMath.ApplyRope(q, headSize, s.RopeCos, s.RopeSin);
            LlamaMath.ApplyRope(k, headSize, s.RopeCos, s.RopeSin);

            for (int kvh = 0; kvh < p.KvHeadCount; kvh++)
                caches[l * p.KvHeadCount + kvh].Append(k.Slice(kvh * headSize, headSize), v.Slice(kvh * headSize, headSize));

            // The query heads of a KV head are adjacent, so one grouped call reads that head's cache once for all of them.
            int group = kvMul * headSize;
            for (int kvh = 0; kvh < p.KvHeadCount; kvh++)
                caches[l * p.KvHeadCount + kvh].AttendGroup(q.Slice(kvh * group, group), scale, position + 1, att.Slice(kvh * group, group));
            if (observer is not null)
                for (int h = 0; h < p.HeadCount; h++) observer.OnAttentionOutput(l, h, position, att.Slice(h * headSize, headSize));
            LlamaMath.MatVec(xb2, att, w.Wo(l));
            TensorPrimitives.Add(x, xb2, x);

            LlamaMath.RmsNorm(xb, x, w.RmsFeedForward(l));
            LlamaMath.MatVec(hb, xb, w.W1(l));
            LlamaMath.MatVec(hb2, xb, w.W3(l));
            LlamaMath.SwiGlu(hb, hb2, s.Gate);
            LlamaMath.MatVec(xb2, hb, w.W2(l));
            TensorPrimitives.Add(x, xb2, x);
        }

        LlamaMath.RmsNorm(x, x, w.RmsFinal);
        LlamaMath.MatVec(s.Logits, x, w.Classifier);
        return s.Logits;
    }
}
