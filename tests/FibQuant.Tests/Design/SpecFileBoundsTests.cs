using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Design;

/// <summary>
/// A spec file's fingerprint proves the table was not edited by accident, not that it is sane: anyone can recompute it.
/// Values that no design produces are refused when the file is read.
/// </summary>
public sealed class SpecFileBoundsTests
{
    private static readonly CodebookSpec Spec = new(8, 2, 4, seed: 9, trainingSamples: 512, restarts: 2);

    [Theory]
    [InlineData(1e35f)]
    [InlineData(-1e35f)]
    [InlineData(2.5f)]
    public void A_codeword_entry_outside_the_bound_is_refused_although_its_fingerprint_matches(float entry)
    {
        Codebook designed = Designs.Get(Spec);
        float[] table = designed.Table.ToArray();
        table[3] = entry;
        var crafted = new Codebook(Spec, designed.Shells, designed.DirectionsPerShell, designed.Radii.ToArray(), table,
            designed.Rotation.ToArray(), designed.TrainingDistortion);

        SpecFileParseResult parsed = CodebookSpecFile.Parse(CodebookSpecFile.Write(crafted, "Crafted", "Bounds"));

        Assert.False(parsed.Success);
        Assert.Equal(SpecFileErrorKind.Inconsistent, parsed.ErrorKind);
        Assert.Contains("table[3]", parsed.Error);
    }

    [Theory]
    [InlineData(1.5f)]
    [InlineData(-0.25f)]
    public void A_shell_radius_outside_the_unit_interval_is_refused(float radius)
    {
        Codebook designed = Designs.Get(Spec);
        float[] radii = designed.Radii.ToArray();
        radii[0] = radius;
        var crafted = new Codebook(Spec, designed.Shells, designed.DirectionsPerShell, radii, designed.Table.ToArray(),
            designed.Rotation.ToArray(), designed.TrainingDistortion);

        SpecFileParseResult parsed = CodebookSpecFile.Parse(CodebookSpecFile.Write(crafted, "Crafted", "Bounds"));

        Assert.False(parsed.Success);
        Assert.Contains("radii[0]", parsed.Error);
    }

    [Fact]
    public void A_designed_table_is_within_the_bound()
    {
        SpecFileParseResult parsed = CodebookSpecFile.Parse(CodebookSpecFile.Write(Designs.Get(Spec), "Designed", "Bounds"));
        Assert.True(parsed.Success, parsed.Error);
    }
}
