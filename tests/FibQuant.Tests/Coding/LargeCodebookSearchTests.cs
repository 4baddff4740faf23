using System.IO;
using System.Runtime.CompilerServices;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Coding;

/// <summary>
/// The approximate encoders on the committed large-N codebooks (codebooks/Kv128x8x1024.json, Kv128x8x2048.json): within
/// 1 % of the exact search's distortion with their calibrated defaults, the hierarchical one chosen by
/// <see cref="EncoderKind.Auto"/> from N = 1024 on (k = 8), scanning a fraction of the codebook, and allocation-free per call.
/// </summary>
public class LargeCodebookSearchTests
{
    private static readonly Lazy<Codebook> Kv1024 = new(() => FromSpecFile("Kv128x8x1024.json"));
    private static readonly Lazy<Codebook> Kv2048 = new(() => FromSpecFile("Kv128x8x2048.json"));

    [Fact]
    public void Approximate_encoders_stay_within_one_percent_of_exact_at_N_1024()
    {
        Codebook codebook = Kv1024.Value;
        float[] vectors = TestVectors.UnitSphere(128, 5_000, seed: 41);
        double exact = Distortion.Measure(new FibQuantizer(codebook, encoder: EncoderKind.Exact), vectors);
        foreach (EncoderKind kind in new[] { EncoderKind.TwoStage, EncoderKind.Hierarchical })
        {
            double approximate = Distortion.Measure(new FibQuantizer(codebook, encoder: kind), vectors);
            Assert.True(approximate <= 1.01 * exact, $"{kind}: {approximate:F6} vs exact {exact:F6}");
            Assert.True(approximate >= exact * 0.999, $"{kind} cannot beat the exact search by more than noise");
        }
    }

    [Fact]
    public void Hierarchical_default_stays_within_one_percent_of_exact_at_N_2048()
    {
        Codebook codebook = Kv2048.Value;
        float[] vectors = TestVectors.UnitSphere(128, 5_000, seed: 42);
        double exact = Distortion.Measure(new FibQuantizer(codebook, encoder: EncoderKind.Exact), vectors);
        double approximate = Distortion.Measure(new FibQuantizer(codebook), vectors);
        Assert.True(approximate <= 1.01 * exact, $"{approximate:F6} vs exact {exact:F6}");
        Assert.True(approximate >= exact * 0.999, "the hierarchical search cannot beat the exact search by more than noise");
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    public void Calibrated_settings_probe_a_fraction_of_the_codebook(int n)
    {
        // The point of the approximate searches: far fewer than N codewords scored per block. The hierarchical default
        // probes one orthant (2^8 cells at k = 8) and scans its candidate list.
        Codebook codebook = n == 1024 ? Kv1024.Value : Kv2048.Value;
        HierarchicalSearch hierarchical = HierarchicalSearch.WithDefaults(codebook);
        Assert.Equal(256, hierarchical.Parents);
        Assert.Equal(1, hierarchical.Probes);
        Assert.InRange(hierarchical.Coverage, 0.9, 1.0);
        Assert.InRange(hierarchical.MeanCandidates, 16, n / 4);
        if (n == 1024) Assert.InRange(TwoStageSearch.Calibrated(codebook).ShellsProbed, 1, codebook.Shells - 1);
    }

    [Fact]
    public void Auto_picks_exact_below_1024_codewords_and_hierarchical_from_there_for_k_8()
    {
        Assert.Equal(EncoderKind.Hierarchical, new FibQuantizer(Kv1024.Value).Encoder);
        Assert.Equal(EncoderKind.Exact, EncoderChoice.For(new CodebookSpec(128, 8, 512, seed: 7)));
        Assert.Equal(EncoderKind.Hierarchical, EncoderChoice.For(new CodebookSpec(128, 8, 1024, seed: 7)));
        Assert.Equal(EncoderKind.Hierarchical, EncoderChoice.For(new CodebookSpec(128, 8, 2048, seed: 7)));
        Assert.Equal(EncoderKind.Exact, EncoderChoice.For(new CodebookSpec(128, 4, 1024, seed: 7)));
        Assert.Equal(EncoderKind.Exact, new FibQuantizer(Designs.Get(new CodebookSpec(64, 2, 16, seed: 1))).Encoder);
    }

    [Fact]
    public void Hierarchical_default_depends_on_the_table_not_the_design_seed()
    {
        // Generated shapes carry no design seed: the search must be built from the table, d and k alone.
        Codebook codebook = Kv1024.Value;
        Codebook reseeded = new(new CodebookSpec(128, 8, 1024, seed: 99), codebook.Shells, codebook.DirectionsPerShell,
            codebook.Radii.ToArray(), codebook.Table.ToArray(), codebook.Rotation.ToArray(), codebook.TrainingDistortion);
        float[] blocks = TestVectors.UnitSphere(128, 300, seed: 6);
        var first = new ushort[blocks.Length / 8];
        var second = new ushort[first.Length];
        HierarchicalSearch.WithDefaults(codebook).FindAll(blocks, first);
        HierarchicalSearch.WithDefaults(reseeded).FindAll(blocks, second);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Approximate_encode_allocates_nothing_per_call()
    {
        Codebook codebook = Kv1024.Value;
        float[] vectors = TestVectors.Gaussian(128, 8, seed: 5);
        foreach (EncoderKind kind in new[] { EncoderKind.TwoStage, EncoderKind.Hierarchical })
        {
            var quantizer = new FibQuantizer(codebook, encoder: kind);
            var codes = new byte[8 * quantizer.EncodedSize];
            quantizer.EncodeBatch(vectors, codes);
            quantizer.Encode(vectors.AsSpan(0, 128), codes.AsSpan(0, quantizer.EncodedSize));
            long before = GC.GetAllocatedBytesForCurrentThread();
            quantizer.EncodeBatch(vectors, codes);
            quantizer.Encode(vectors.AsSpan(0, 128), codes.AsSpan(0, quantizer.EncodedSize));
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    internal static Codebook FromSpecFile(string name, [CallerFilePath] string caller = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(caller)!, "..", "..", "..", "codebooks", name);
        SpecFileParseResult parsed = CodebookSpecFile.Parse(File.ReadAllText(path));
        Assert.True(parsed.Success, $"{name}: {parsed.Error}");
        Assert.False(parsed.File!.TryCreateSpec(out CodebookSpec? spec).IsError);
        return parsed.File.CreatePrecomputedCodebook(spec!);
    }
}
