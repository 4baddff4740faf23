using System.Runtime.Intrinsics;

namespace FibQuant.Tests.Determinism;

/// <summary>Which vector widths the JIT accelerates in this process (DOTNET_EnableAVX512=0 etc. switch them off).</summary>
internal static class IsaReport
{
    /// <summary>Set by <c>.ci/isa-paths.sh</c> to the widest path it expects: Vector512, Vector256, Vector128 or Scalar.</summary>
    public const string ExpectedVariable = "FIBQUANT_EXPECT_ISA";

    public static string Widest() =>
        Vector512.IsHardwareAccelerated ? "Vector512"
        : Vector256.IsHardwareAccelerated ? "Vector256"
        : Vector128.IsHardwareAccelerated ? "Vector128"
        : "Scalar";

    public static string Describe() =>
        $"Vector512={Vector512.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} Vector128={Vector128.IsHardwareAccelerated} (widest: {Widest()})";
}
