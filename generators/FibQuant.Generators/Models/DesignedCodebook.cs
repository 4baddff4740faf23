using FibQuant.Generators.Helpers;

namespace FibQuant.Generators.Models;

/// <summary>Everything the emitter writes for one codebook: names, spec fields and the designed bits.</summary>
internal sealed record DesignedCodebook(
    string ClassName,
    string Namespace,
    string Modifiers,
    string Origin,
    int Dimension,
    int BlockSize,
    int Codewords,
    ulong Seed,
    int Rotation,
    int NormFormat,
    int TrainingSamples,
    int Restarts,
    int Shells,
    int DirectionsPerShell,
    EquatableArray<float> Radii,
    EquatableArray<float> Table,
    EquatableArray<float> RotationData,
    ulong Fingerprint,
    double TrainingDistortion)
{
    public string FullName => Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName;

    public int IndexBits
    {
        get
        {
            int bits = 0;
            while ((1 << bits) < Codewords) bits++;
            return bits;
        }
    }

    public int Blocks => Dimension / BlockSize;

    public int HeaderSize => NormFormat == 0 ? 2 : 4;

    public int EncodedSize => HeaderSize + (Blocks * IndexBits + 7) / 8;

    public bool IsHaar => Rotation == 0;
}

/// <summary>The design step's output: the designed codebook, or the diagnostics that stopped it.</summary>
internal sealed record DesignOutcome(DesignedCodebook? Codebook, EquatableArray<DiagnosticInfo> Diagnostics);
