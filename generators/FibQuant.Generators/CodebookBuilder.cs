using System;
using System.Threading;
using FibQuant.Design;
using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;

namespace FibQuant.Generators;

/// <summary>
/// The design step: runs the shared <see cref="CodebookDesigner"/> (serial, cancellable) within a compile-time budget,
/// or checks a spec file's precomputed table against its fingerprint.
/// </summary>
internal static class CodebookBuilder
{
    /// <summary>
    /// Work units allowed inside the compiler: exactly the cost of the largest design the compiler must take, N = 256,
    /// k = 8 at the default training size and restarts with a d = 256 Haar rotation (≈ 3.6·10⁹). Every codebook with
    /// N ≤ 256, k ≤ 8, d ≤ 256 designs while compiling; larger N goes to a spec file precomputed by `fibquant design`.
    /// </summary>
    public static readonly long Budget = Cost(new CodebookSpec(256, 8, 256), precomputed: false);

    /// <summary>
    /// Haar rotation flops per work unit. A design unit (one codeword·coordinate·sample of one Lloyd–Max run) measured
    /// 12–40 ns serial, a flop of the d×d QR 0.66 ns (d = 1024: 1.4 s CPU for 2·d³ flops), so the rotation is charged
    /// at 1/16 of a unit per flop: what the compiler spends on it, not 16 times more.
    /// </summary>
    private const long RotationFlopsPerUnit = 16;

    private static int _designRuns;

    /// <summary>How many designs ran in this process (the incrementality tests assert it does not move).</summary>
    public static int DesignRuns => Volatile.Read(ref _designRuns);

    /// <summary>
    /// The work the compiler does for <paramref name="spec"/>: the Haar rotation always (a spec file stores the table, not
    /// the rotation), the Lloyd–Max design only when no precomputed table is given.
    /// </summary>
    public static long Cost(CodebookSpec spec, bool precomputed)
    {
        long rotation = spec.Rotation == RotationKind.Haar ? 2L * spec.Dimension * spec.Dimension * spec.Dimension / RotationFlopsPerUnit : 0;
        if (precomputed) return rotation;
        long runs = CodebookDesigner.ShellLayouts(spec.BlockSize, spec.Codewords).Count + spec.Restarts - 1;
        return (long)spec.Codewords * spec.BlockSize * spec.TrainingSamples * runs + rotation;
    }

    public static DesignOutcome Build(DesignInput input, CancellationToken cancellationToken)
    {
        CodebookRequest request = input.Request;
        if (!request.Diagnostics.IsEmpty) return new DesignOutcome(null, request.Diagnostics);
        int samples = request.TrainingSamples == 0 ? CodebookSpec.DefaultTrainingSamples(request.Codewords) : request.TrainingSamples;
        var spec = new CodebookSpec(request.Dimension, request.BlockSize, request.Codewords, request.Seed, (RotationKind)request.Rotation,
            samples, request.Restarts);
        long cost = Cost(spec, request.Precomputed is not null);
        if (cost > Budget)
            return Fail(DiagnosticDescriptors.BudgetExceeded, request, $"{cost:N0} work units (budget {Budget:N0}); precompute it with '{DesignCommand(spec, request)}'");

        Codebook codebook;
        DiagnosticInfo? cacheNote = null;
        try
        {
            if (request.Precomputed is PrecomputedDesign pre)
            {
                float[] rotation = RotationDesign.Create(spec.Rotation, spec.Dimension, spec.Seed, cancellationToken);
                try
                {
                    codebook = new Codebook(spec, pre.Shells, pre.DirectionsPerShell, pre.Radii.AsSpan().ToArray(), pre.Table.AsSpan().ToArray(),
                        rotation, pre.TrainingDistortion, pre.Fingerprint);
                }
                catch (ArgumentException e) when (e.ParamName == "expectedFingerprint")
                {
                    return Fail(DiagnosticDescriptors.FingerprintMismatch, request, e.Message.Split('\n')[0].Replace(" (Parameter 'expectedFingerprint')", string.Empty));
                }
                catch (ArgumentException e)
                {
                    return Fail(DiagnosticDescriptors.InconsistentSpecFile, request, e.Message.Split('\n')[0]);
                }
            }
            else
            {
                (Codebook? restored, string? problem) = input.Cached is CachedDesign cached ? Restore(spec, cached, cancellationToken) : (null, null);
                if (restored is not null)
                    cacheNote = new DiagnosticInfo(DiagnosticDescriptors.ReadFromDesignCache, request.Location, request.ClassName, input.Cached!.Path);
                else if (problem is not null)
                    cacheNote = new DiagnosticInfo(DiagnosticDescriptors.DesignCacheEntryIgnored, request.Location, input.Cached!.Path, problem);
                codebook = restored ?? DesignCache.GetOrDesign(spec, () =>
                {
                    Interlocked.Increment(ref _designRuns);
                    return CodebookDesigner.Design(spec, progress: null, parallel: false, cancellationToken);
                });
            }
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            return Fail(DiagnosticDescriptors.DesignFailed, request, e.GetType().Name + ": " + e.Message);
        }

        var designed = new DesignedCodebook(request.ClassName, request.Namespace, request.Modifiers, request.Origin, spec.Dimension,
            spec.BlockSize, spec.Codewords, spec.Seed, (int)spec.Rotation, request.NormFormat, spec.TrainingSamples, spec.Restarts,
            codebook.Shells, codebook.DirectionsPerShell, new EquatableArray<float>(codebook.Radii.ToArray()),
            new EquatableArray<float>(codebook.Table.ToArray()), new EquatableArray<float>(codebook.Rotation.ToArray()),
            codebook.Fingerprint, codebook.TrainingDistortion);
        return new DesignOutcome(designed, cacheNote is null ? EquatableArray<DiagnosticInfo>.Empty : new EquatableArray<DiagnosticInfo>(new[] { cacheNote }));
    }

    /// <summary>
    /// The codebook a design cache entry holds, trusted only when its table hashes to the fingerprint it records (the rotation
    /// is recomputed from the seed, so a stale or edited entry fails here); otherwise no codebook and why.
    /// </summary>
    private static (Codebook? Codebook, string? Problem) Restore(CodebookSpec spec, CachedDesign cached, CancellationToken cancellationToken)
    {
        PrecomputedDesign design = cached.Design!;
        float[] rotation = RotationDesign.Create(spec.Rotation, spec.Dimension, spec.Seed, cancellationToken);
        try
        {
            return (new Codebook(spec, design.Shells, design.DirectionsPerShell, design.Radii.AsSpan().ToArray(), design.Table.AsSpan().ToArray(),
                rotation, design.TrainingDistortion, design.Fingerprint), null);
        }
        catch (ArgumentException e)
        {
            string message = e.Message.Split('\n')[0];
            int parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            return (null, parameter < 0 ? message : message.Substring(0, parameter));
        }
    }

    /// <summary>The `fibquant design` command line that writes <paramref name="spec"/> into a spec file.</summary>
    private static string DesignCommand(CodebookSpec spec, CodebookRequest request)
    {
        var command = new System.Text.StringBuilder($"fibquant design -d {spec.Dimension} -k {spec.BlockSize} -n {spec.Codewords}");
        if (spec.Seed != 0) command.Append(" --seed ").Append(spec.Seed);
        if (spec.Rotation != RotationKind.Haar) command.Append(" --rotation ").Append(spec.Rotation);
        if (spec.TrainingSamples != CodebookSpec.DefaultTrainingSamples(spec.Codewords)) command.Append(" --samples ").Append(spec.TrainingSamples);
        if (spec.Restarts != CodebookSpec.DefaultRestarts) command.Append(" --restarts ").Append(spec.Restarts);
        if (request.Namespace.Length > 0) command.Append(" --namespace ").Append(request.Namespace);
        if (request.NormFormat != (int)FibQuant.Coding.NormFormat.Half) command.Append(" --norm ").Append((FibQuant.Coding.NormFormat)request.NormFormat);
        return command.Append(" --class-name ").Append(request.ClassName).Append(" -o codebooks/").Append(request.ClassName).Append(".json").ToString();
    }

    private static DesignOutcome Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, CodebookRequest request, string detail)
    {
        string name = descriptor == DiagnosticDescriptors.InconsistentSpecFile ? System.IO.Path.GetFileName(request.Origin) : request.ClassName;
        return new DesignOutcome(null, new EquatableArray<DiagnosticInfo>(new[] { new DiagnosticInfo(descriptor, request.Location, name, detail) }));
    }
}
