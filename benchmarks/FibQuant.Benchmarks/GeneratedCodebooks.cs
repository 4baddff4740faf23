using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Generation;

namespace FibQuant.Benchmarks;

/// <summary>(128, 2, 16), Haar, b = 2: designed inside the compiler (same spec as <c>k2n16</c> in <see cref="CodecCatalog"/>).</summary>
[FibQuantCodebook(128, 2, 16, Seed = CodecCatalog.Seed)]
public static partial class Gen128x2x16Haar;

/// <summary>(128, 2, 16), Hadamard, b = 2.</summary>
[FibQuantCodebook(128, 2, 16, Seed = CodecCatalog.Seed, Rotation = RotationKind.Hadamard)]
public static partial class Gen128x2x16Hadamard;

/// <summary>(128, 1, 4), Hadamard: 2-bit scalar TurboQuant.</summary>
[FibQuantCodebook(128, 1, 4, Seed = CodecCatalog.Seed, Rotation = RotationKind.Hadamard, NormFormat = NormFormat.Half)]
public static partial class Gen128x1x4Hadamard;
