using System.IO;
using System.Runtime.CompilerServices;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Tests.Support;
using Xunit;

namespace FibQuant.Tests.Coding;

/// <summary>
/// The approximate encoders on the committed large-N codebook (codebooks/Kv128x8x1024.json): within 1 % of the exact
/// search's distortion with their calibrated defaults, the hierarchical one chosen by <see cref="EncoderKind.Auto"/> from N = 2048 on, and
/// allocation-free per call.
/// </summary>
public class LargeCodebookSearchTests
{
    private static readonly Lazy<Codebook> Kv1024 = new(() => FromSpecFile("Kv128x8x1024.json"));

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
    public void Calibrated_settings_probe_a_fraction_of_the_codebook()
    {
        // The point of the approximate searches: far fewer than N codewords scored per block.
        Codebook codebook = Kv1024.Value;
        HierarchicalSearch hierarchical = HierarchicalSearch.WithDefaults(codebook);
        TwoStageSearch twoStage = TwoStageSearch.Calibrated(codebook);
        Assert.Equal(16, hierarchical.Parents);
        // K parents plus T groups of about N/K children: under half of the N codewords scored.
        Assert.InRange(hierarchical.Parents + hierarchical.Probes * (1024 / hierarchical.Parents), 1, 1024 / 2);
        Assert.InRange(twoStage.ShellsProbed, 1, codebook.Shells - 1);
    }

    [Fact]
    public void Auto_picks_exact_below_2048_codewords_and_hierarchical_from_there()
    {
        Assert.Equal(EncoderKind.Exact, new FibQuantizer(Kv1024.Value).Encoder);
        Assert.Equal(EncoderKind.Exact, EncoderChoice.For(new CodebookSpec(128, 8, 1024, seed: 7)));
        Assert.Equal(EncoderKind.Hierarchical, EncoderChoice.For(new CodebookSpec(128, 8, 2048, seed: 7)));
        Assert.Equal(EncoderKind.Exact, new FibQuantizer(Designs.Get(new CodebookSpec(64, 2, 16, seed: 1))).Encoder);
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
