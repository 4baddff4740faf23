using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace FibQuant.Tests.Determinism;

/// <summary>
/// The fingerprints of a fixed set of small designs, committed as hex: a change to any table bit, any rotation bit,
/// the shell layout or the spec encoding fails here. (Generator and runtime agreement is checked in
/// FibQuant.Generators.Tests/EquivalenceTests, which compares generated fingerprints and tables with runtime designs.)
/// </summary>
[Trait("Category", "Determinism")]
public sealed class GoldenFingerprintTests
{
    private static readonly Dictionary<string, ulong> Golden = new()
    {
        ["HaarK2"] = 0xE7022BF95539917EUL,
        ["HadamardK2"] = 0xE5C1D01B2D555A81UL,
        ["HaarK2N64"] = 0x11F258DF86BFCFEEUL,
        ["HaarK3"] = 0xBE836F3347940984UL,
        ["ScalarK1"] = 0xB313EA9637B79851UL,
        ["HadamardK4"] = 0xB0ED8C068E5FB374UL,
        ["HaarK8"] = 0x44BCCBB4BBBD10B7UL,
    };

    private readonly ITestOutputHelper _output;

    public GoldenFingerprintTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Designs_reproduce_the_committed_fingerprints()
    {
        _output.WriteLine(IsaReport.Describe());
        var mismatches = new List<string>();
        foreach ((string name, CodebookSpec spec) in GoldenSpecs.All)
        {
            ulong actual = Designs.Get(spec).Fingerprint;
            _output.WriteLine($"[\"{name}\"] = 0x{actual:X16}UL,  // {spec}");
            if (actual != Golden[name]) mismatches.Add($"{name}: 0x{actual:X16}, committed 0x{Golden[name]:X16}");
        }

        Assert.True(mismatches.Count == 0, "fingerprints changed: " + string.Join("; ", mismatches));
    }
}
