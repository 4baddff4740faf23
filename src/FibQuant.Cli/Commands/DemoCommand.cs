using System.CommandLine;
using System.Globalization;
using FibQuant.Coding;
using FibQuant.Design;
using FibQuant.Evaluation;
using Spectre.Console;

namespace FibQuant.Cli.Commands;

/// <summary>
/// The README's main command: designs a set of small codebooks (sub-one-bit to 3 bits, fractional rates included),
/// compresses seeded unit vectors and prints distortion against the Shannon bound and scalar TurboQuant.
/// </summary>
internal static class DemoCommand
{
    private static readonly (int K, int N)[] Configs =
    {
        (1, 2), (1, 4), (1, 8),                 // scalar TurboQuant, b = 1, 2, 3
        (8, 16), (8, 64), (4, 16), (4, 32), (2, 8), (2, 16), (2, 64),
    };

    public static Command Create()
    {
        var dimension = new Option<int>("--dimension", "-d") { Description = "Vector dimension d", DefaultValueFactory = _ => 64 };
        var vectors = new Option<int>("--vectors") { Description = "Seeded uniform unit vectors to compress", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<ulong>("--seed") { Description = "Design seed", DefaultValueFactory = _ => SpecOptions.DefaultSeed };
        var rotation = new Option<RotationKind>("--rotation") { Description = "Haar or Hadamard", DefaultValueFactory = _ => RotationKind.Haar };
        var command = new Command("demo", "Design small codebooks, compress vectors, compare with the Shannon bound and TurboQuant")
        {
            dimension, vectors, seed, rotation,
        };
        command.SetAction(result =>
        {
            int d = result.GetValue(dimension);
            RotationKind kind = result.GetValue(rotation);
            // Checked with the scalar codebook, which every valid d admits; the vector rows are filtered below.
            SpecOptions.Check(CodebookSpec.Validate(d, 1, 2, kind, CodebookSpec.DefaultTrainingSamples(2), CodebookSpec.DefaultRestarts),
                new Dictionary<string, Option> { ["dimension"] = dimension, ["rotation"] = rotation });
            return Run(d, SpecOptions.InRange(result, vectors, 1, SpecOptions.MaxVectors), result.GetValue(seed), kind);
        });
        return command;
    }

    private static int Run(int dimension, int vectorCount, ulong seed, RotationKind rotation)
    {
        var specs = new List<(string, CodebookSpec)>();
        var skipped = new SortedSet<int>();
        foreach ((int k, int n) in Configs)
        {
            if (dimension % k != 0 || k >= dimension)
            {
                skipped.Add(k);
                continue;
            }

            var spec = new CodebookSpec(dimension, k, n, seed, rotation);
            specs.Add(($"{Name(k)} k={k} N={n}", spec));
        }

        AnsiConsole.MarkupLine($"[bold]FibQuant demo[/]: d = {dimension}, {vectorCount:N0} uniform unit vectors, {rotation} rotation, fp16 norm header");
        AnsiConsole.MarkupLine($"Vector path: {FibQuant.Simd.VectorPaths.Describe()}");
        if (skipped.Count > 0)
            AnsiConsole.MarkupLine($"[yellow]rows with k = {string.Join(", ", skipped)} skipped[/]: a block length k must divide d = {dimension} and be smaller than it; try d = 64.");
        Codebook[] codebooks = DesignRunner.DesignAll(specs);
        float[] data = RateDistortion.UniformUnitVectors(dimension, vectorCount, seed + 1000);

        var distortions = new double[codebooks.Length];
        for (int i = 0; i < codebooks.Length; i++) distortions[i] = RateDistortion.MeanSquaredError(new FibQuantizer(codebooks[i]), data);

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("codec", "k", "N", "b", "CR", "D", "D / bound", "D / TQ");
        for (int i = 0; i < codebooks.Length; i++)
        {
            CodebookSpec spec = codebooks[i].Spec;
            var quantizer = new FibQuantizer(codebooks[i]);
            double rate = spec.BitsPerCoordinate;
            string versusScalar = "—";
            for (int j = 0; j < codebooks.Length; j++)
            {
                if (spec.BlockSize != 1 && codebooks[j].Spec.BlockSize == 1 && codebooks[j].Spec.BitsPerCoordinate == rate)
                    versusScalar = Format(distortions[i] / distortions[j]);
            }

            table.AddRow(Name(spec.BlockSize), spec.BlockSize.ToString(CultureInfo.InvariantCulture), spec.Codewords.ToString(CultureInfo.InvariantCulture),
                rate.ToString("0.###", CultureInfo.InvariantCulture), quantizer.CompressionRatio.ToString("0.0", CultureInfo.InvariantCulture) + "×",
                distortions[i].ToString("0.00000", CultureInfo.InvariantCulture), Format(distortions[i] / RateDistortion.ShannonBound(rate)), versusScalar);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("b = bits per coordinate; CR = compression against fp16 (fp16 norm header included); D = mean ‖x − x̂‖² per unit vector;");
        AnsiConsole.MarkupLine("bound = Shannon's 4^(−b); D / TQ = distortion relative to scalar TurboQuant at the same rate (below 1: FibQuant is better).");
        return 0;
    }

    private static string Name(int blockSize) => blockSize == 1 ? "TurboQuant" : "FibQuant";

    private static string Format(double ratio) => ratio.ToString("0.000", CultureInfo.InvariantCulture);
}
