namespace FibQuant.Simd;

/// <summary>The widest vector registers the codec kernels use in this process.</summary>
public enum VectorPath
{
    /// <summary>No hardware intrinsics (e.g. <c>DOTNET_EnableHWIntrinsic=0</c>): one float at a time.</summary>
    Scalar = 0,

    /// <summary>128-bit registers, 4 floats (SSE on x64, AdvSimd on Arm64; a default NativeAOT x64 build stops here).</summary>
    Vector128 = 128,

    /// <summary>256-bit registers, 8 floats (AVX2).</summary>
    Vector256 = 256,

    /// <summary>512-bit registers, 16 floats (AVX-512).</summary>
    Vector512 = 512,
}
