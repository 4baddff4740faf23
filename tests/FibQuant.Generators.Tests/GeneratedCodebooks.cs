using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Generation;

namespace FibQuant.Generators.Tests;

/// <summary>(64, 2, 16), Haar: designed inside the compiler while this project builds.</summary>
[FibQuantCodebook(64, 2, 16, Seed = 7)]
public static partial class Kv64x2x16;

/// <summary>(64, 1, 4), Hadamard: 2-bit scalar TurboQuant, designed inside the compiler.</summary>
[FibQuantCodebook(64, 1, 4, Seed = 7, Rotation = RotationKind.Hadamard, NormFormat = NormFormat.Single)]
public static partial class Tq64x1x4;
