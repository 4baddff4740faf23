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
    /// Work units allowed inside the compiler: N·k·samples per Lloyd–Max run times the runs ((L, M_a) layouts + restarts − 1),
    /// plus 2·d³ for the Haar rotation. About 1.3·10⁸ (≈ 5 s serial on a 2-core machine): (64,2,16) 2 s, (64,1,4) 0.3 s, (128,2,16) 1.6 s, (64,2,64) 3.7 s fit; (128,4,256) (1.8·10⁹) does not.
    /// </summary>
    public const long Budget = 1L << 27;

    private static int _designRuns;

    /// <summary>How many designs ran in this process (the incrementality tests assert it does not move).</summary>
    public static int DesignRuns => Volatile.Read(ref _designRuns);

    public static long Cost(CodebookSpec spec, bool precomputed)
    {
        long rotation = spec.Rotation == RotationKind.Haar ? 2L * spec.Dimension * spec.Dimension * spec.Dimension : 0;
        if (precomputed) return rotation;
        long runs = CodebookDesigner.ShellLayouts(spec.BlockSize, spec.Codewords).Count + spec.Restarts - 1;
        return (long)spec.Codewords * spec.BlockSize * spec.TrainingSamples * runs + rotation;
    }

    public static DesignOutcome Build(CodebookRequest request, CancellationToken cancellationToken)
    {
        if (!request.Diagnostics.IsEmpty) return new DesignOutcome(null, request.Diagnostics);
        int samples = request.TrainingSamples == 0 ? CodebookSpec.DefaultTrainingSamples(request.Codewords) : request.TrainingSamples;
        var spec = new CodebookSpec(request.Dimension, request.BlockSize, request.Codewords, request.Seed, (RotationKind)request.Rotation,
            samples, request.Restarts);
        long cost = Cost(spec, request.Precomputed is not null);
        if (cost > Budget)
            return Fail(DiagnosticDescriptors.BudgetExceeded, request, $"{cost:N0} work units (budget {Budget:N0})");

        Codebook codebook;
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
                codebook = DesignCache.GetOrDesign(spec, () =>
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
        return new DesignOutcome(designed, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static DesignOutcome Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, CodebookRequest request, string detail)
    {
        string name = descriptor == DiagnosticDescriptors.InconsistentSpecFile ? System.IO.Path.GetFileName(request.Origin) : request.ClassName;
        return new DesignOutcome(null, new EquatableArray<DiagnosticInfo>(new[] { new DiagnosticInfo(descriptor, request.Location, name, detail) }));
    }
}
