using System;
using System.Linq;
using System.Reflection;
using FibQuant.AotSample;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Simd;

// Encodes seeded unit vectors with two compile-time codebooks, checks them against the runtime codec and the
// paper's reference distortions, and exits non-zero when a check fails.
string isa = typeof(Kv64).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "IlcInstructionSet")?.Value ?? "";
Console.WriteLine($"Vector path: {VectorPaths.Describe()}; " +
    $"IlcInstructionSet '{(isa.Length == 0 ? "baseline" : isa)}'; dynamic code {System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported}");

int failures = 0;
failures += Check<Kv64.Codec>("Kv64 (64,2,16) Haar", new CodebookSpec(64, 2, 16, seed: 7), NormFormat.Half, referenceDistortion: 0.105);
failures += Check<Tq64.Codec>("Tq64 (64,1,4) Hadamard", new CodebookSpec(64, 1, 4, seed: 7, rotation: RotationKind.Hadamard), NormFormat.Single,
    referenceDistortion: 0.115);
// Declared by codebooks/Kv64x4.json alone: the package's build targets pass codebooks/*.json to the generator.
failures += Check<Kv64x4.Codec>("Kv64x4 (64,4,16) Haar, from codebooks/Kv64x4.json", new CodebookSpec(64, 4, 16, seed: 7), NormFormat.Half,
    referenceDistortion: 0.340);
Console.WriteLine(failures == 0 ? "all checks passed" : $"{failures} check(s) failed");
return failures == 0 ? 0 : 1;

static int Check<T>(string name, CodebookSpec spec, NormFormat format, double referenceDistortion) where T : struct, ICodebookShape, IVectorCodec
{
    var codec = new T();
    const int count = 4000;
    int d = T.Dimension;
    var random = new SplitMix(12345);
    var vectors = new float[count * d];
    for (int v = 0; v < count; v++)
    {
        double norm = 0;
        for (int i = 0; i < d; i++)
        {
            double g = random.NextGaussian();
            vectors[v * d + i] = (float)g;
            norm += g * g;
        }

        float scale = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < d; i++) vectors[v * d + i] *= scale;
    }

    var codes = new byte[count * T.EncodedSize];
    var decoded = new float[vectors.Length];
    for (int v = 0; v < count; v++)
    {
        codec.Encode(vectors.AsSpan(v * d, d), codes.AsSpan(v * T.EncodedSize, T.EncodedSize));
        codec.Decode(codes.AsSpan(v * T.EncodedSize, T.EncodedSize), decoded.AsSpan(v * d, d));
    }

    double error = 0;
    for (int i = 0; i < vectors.Length; i++) error += (vectors[i] - decoded[i]) * (double)(vectors[i] - decoded[i]);
    double distortion = error / count;

    var runtime = new FibQuantizer(CodebookDesigner.Design(spec), format);
    var runtimeCodes = new byte[codes.Length];
    runtime.EncodeBatch(vectors, runtimeCodes);
    bool sameCodes = runtimeCodes.AsSpan().SequenceEqual(codes);
    bool sameFingerprint = runtime.Fingerprint == T.Fingerprint;
    bool distortionOk = distortion <= referenceDistortion * 1.05 && distortion >= referenceDistortion * 0.8;

    Console.WriteLine($"{name}: fingerprint 0x{T.Fingerprint:X16} (runtime design {(sameFingerprint ? "equal" : "DIFFERENT")}), " +
        $"{T.EncodedSize} bytes/vector, distortion {distortion:F4} (reference {referenceDistortion}, {(distortionOk ? "ok" : "OUT OF BOUNDS")}), " +
        $"codes {(sameCodes ? "identical to" : "DIFFERENT from")} the runtime codec");
    return (sameCodes ? 0 : 1) + (sameFingerprint ? 0 : 1) + (distortionOk ? 0 : 1);
}

/// <summary>A small seeded generator (SplitMix64 + Box–Muller) so every run sees the same vectors.</summary>
internal sealed class SplitMix(ulong state)
{
    private ulong _state = state;

    public double NextDouble()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return ((z ^ (z >> 31)) >> 11) * (1.0 / (1UL << 53));
    }

    public double NextGaussian() => Math.Sqrt(-2 * Math.Log(1 - NextDouble())) * Math.Cos(2 * Math.PI * NextDouble());
}
