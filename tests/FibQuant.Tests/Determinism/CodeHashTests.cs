using System.Security.Cryptography;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FibQuant.Tests.Determinism;

/// <summary>
/// Encoding gives the same bits on every instruction-set path: the SHA-256 of the codes of a fixed seeded set of
/// vectors, per codec, is committed. <c>.ci/isa-paths.sh</c> reruns this under AVX-512 off, AVX2 off and all hardware
/// intrinsics off, so the 512-, 256-, 128-bit and scalar search paths are each compared with the same hashes.
/// </summary>
[Trait("Category", "Determinism")]
public sealed class CodeHashTests
{
    private const int Count = 256;

    private static readonly Dictionary<string, string> Golden = new()
    {
        ["exact-haar-k2"] = "7E8631DAD6605F1520A8609D7B13F2F4",
        ["exact-hadamard-k2"] = "B64FA2C3F3501BF4CDF80D07BE2E6077",
        ["two-stage-k2-n64"] = "437C9588D8EC91045F733094CE41B567",
        ["hierarchical-k2-n64"] = "9DD4C3B526B56B0276F1D7A4BD237F26",
        ["exact-k1-n8"] = "1DC8704FBB47C67D3643451DBC73F1D4",
        ["exact-k3-single"] = "CCAB505561048ECD43700D01E88AB93E",
        ["exact-hadamard-k4-n32"] = "2DD89A11F2A0CB3EA42CAC762F1177B3",
        ["exact-k8"] = "E21D8324BD418E72FA53E4B9E512AA41",
    };

    private readonly ITestOutputHelper _output;

    public CodeHashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Codes_hash_to_the_committed_values_on_this_instruction_set()
    {
        _output.WriteLine(IsaReport.Describe());
        var mismatches = new List<string>();
        foreach ((string name, FibQuantizer q) in Codecs())
        {
            // Gaussian vectors at several scales plus a zero vector and exact ties (repeated coordinates).
            float[] vectors = TestVectors.Gaussian(q.Dimension, Count, seed: 4242, scale: 1.5);
            for (int i = 0; i < q.Dimension; i++) vectors[i] = 0f;
            for (int i = 0; i < q.Dimension; i++) vectors[q.Dimension + i] = 0.25f;
            byte[] codes = new byte[Count * q.EncodedSize];
            q.EncodeBatch(vectors, codes);
            string hash = Convert.ToHexString(SHA256.HashData(codes)).Substring(0, 32);
            _output.WriteLine($"[\"{name}\"] = \"{hash}\",");
            if (hash != Golden[name]) mismatches.Add($"{name}: {hash}, committed {Golden[name]}");
        }

        Assert.True(mismatches.Count == 0, $"codes differ on {IsaReport.Describe()}: " + string.Join("; ", mismatches));
    }

    [Fact]
    public void The_instruction_set_is_the_one_the_script_asked_for()
    {
        _output.WriteLine(IsaReport.Describe());
        string? expected = Environment.GetEnvironmentVariable(IsaReport.ExpectedVariable);
        if (string.IsNullOrEmpty(expected)) return; // a plain test run uses whatever the machine has
        Assert.Equal(expected, IsaReport.Widest());
    }

    private static IEnumerable<(string, FibQuantizer)> Codecs()
    {
        yield return ("exact-haar-k2", new FibQuantizer(Designs.Get(GoldenSpecs.HaarK2)));
        yield return ("exact-hadamard-k2", new FibQuantizer(Designs.Get(GoldenSpecs.HadamardK2)));
        yield return ("two-stage-k2-n64", new FibQuantizer(Designs.Get(GoldenSpecs.HaarK2N64), encoder: EncoderKind.TwoStage));
        yield return ("hierarchical-k2-n64", new FibQuantizer(Designs.Get(GoldenSpecs.HaarK2N64), encoder: EncoderKind.Hierarchical));
        yield return ("exact-k1-n8", new FibQuantizer(Designs.Get(GoldenSpecs.ScalarK1)));
        yield return ("exact-k3-single", new FibQuantizer(Designs.Get(GoldenSpecs.HaarK3), NormFormat.Single));
        yield return ("exact-hadamard-k4-n32", new FibQuantizer(Designs.Get(GoldenSpecs.HadamardK4)));
        yield return ("exact-k8", new FibQuantizer(Designs.Get(GoldenSpecs.HaarK8)));
    }
}
