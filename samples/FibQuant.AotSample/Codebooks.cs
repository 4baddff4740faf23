using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Generation;

namespace FibQuant.AotSample;

/// <summary>2 bits per coordinate: pairs of coordinates, 16 codewords, Haar rotation; designed while compiling.</summary>
[FibQuantCodebook(64, 2, 16, Seed = 7)]
internal static partial class Kv64;

/// <summary>2-bit scalar TurboQuant with the randomized Hadamard rotation; designed while compiling.</summary>
[FibQuantCodebook(64, 1, 4, Seed = 7, Rotation = RotationKind.Hadamard, NormFormat = NormFormat.Single)]
internal static partial class Tq64;
