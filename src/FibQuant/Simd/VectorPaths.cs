using System.Runtime.Intrinsics;

namespace FibQuant.Simd;

/// <summary>
/// Which vector path the codec kernels run in this process. Every path gives the same codes and decoded vectors bit for
/// bit; the path only changes speed. The JIT decides it from the CPU and the <c>DOTNET_Enable*</c> settings; NativeAOT
/// decides it at publish time (<c>IlcInstructionSet</c>), and a default x64 NativeAOT build runs <see cref="VectorPath.Vector128"/>.
/// </summary>
public static class VectorPaths
{
    /// <summary>The widest accelerated path; kernels use it wherever the data fills a register and narrower ones for the rest.</summary>
    public static VectorPath Current =>
        Vector512.IsHardwareAccelerated ? VectorPath.Vector512
        : Vector256.IsHardwareAccelerated ? VectorPath.Vector256
        : Vector128.IsHardwareAccelerated ? VectorPath.Vector128
        : VectorPath.Scalar;

    /// <summary>Floats per register on <see cref="Current"/> (1 on the scalar path).</summary>
    public static int FloatLanes => Current == VectorPath.Scalar ? 1 : (int)Current / 32;

    /// <summary>A one-line description for logs, e.g. "Vector512 (16 floats per register)".</summary>
    public static string Describe() => $"{Current} ({FloatLanes} float{(FloatLanes == 1 ? "" : "s")} per register)";
}
