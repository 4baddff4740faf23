using System.CommandLine;
using System.Globalization;
using FibQuant.Design;

namespace FibQuant.Cli.Commands;

/// <summary>The codebook-spec options shared by design and inspect, and the checks every command applies to its options.</summary>
internal sealed class SpecOptions
{
    /// <summary>The design seed every command uses unless --seed says otherwise (the README's measurements use it too).</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>Upper bound of --vectors: 10⁶ vectors of d ≤ 8192 floats stay within one array.</summary>
    public const int MaxVectors = 1_000_000;

    public Option<int> Dimension { get; } = new("--dimension", "-d") { Description = "Vector (head) dimension d", DefaultValueFactory = _ => 64 };
    public Option<int> BlockSize { get; } = new("--block-size", "-k") { Description = "Block length k (must divide d)", DefaultValueFactory = _ => 2 };
    public Option<int> Codewords { get; } = new("--codewords", "-n") { Description = "Codebook size N (power of two, 2..65536)", DefaultValueFactory = _ => 16 };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Design seed", DefaultValueFactory = _ => DefaultSeed };
    public Option<RotationKind> Rotation { get; } = new("--rotation") { Description = "Haar or Hadamard", DefaultValueFactory = _ => RotationKind.Haar };
    public Option<int> Samples { get; } = new("--samples") { Description = "Training blocks (0 = default: 256 per codeword, 32768..1048576)", DefaultValueFactory = _ => 0 };
    public Option<int> Restarts { get; } = new("--restarts") { Description = "Lloyd–Max restarts", DefaultValueFactory = _ => CodebookSpec.DefaultRestarts };

    public void AddTo(Command command)
    {
        command.Options.Add(Dimension);
        command.Options.Add(BlockSize);
        command.Options.Add(Codewords);
        command.Options.Add(Seed);
        command.Options.Add(Rotation);
        command.Options.Add(Samples);
        command.Options.Add(Restarts);
    }

    /// <summary>The spec the options describe.</summary>
    /// <exception cref="UsageException">An option is out of range; the message names it and the allowed values.</exception>
    public CodebookSpec Read(ParseResult result)
    {
        int d = result.GetValue(Dimension), k = result.GetValue(BlockSize), n = result.GetValue(Codewords);
        int samples = result.GetValue(Samples), restarts = result.GetValue(Restarts);
        RotationKind rotation = result.GetValue(Rotation);
        Check(CodebookSpec.Validate(d, k, n, rotation, samples == 0 && n > 0 ? CodebookSpec.DefaultTrainingSamples(n) : samples, restarts), new Dictionary<string, Option>
        {
            ["dimension"] = Dimension, ["blockSize"] = BlockSize, ["codewords"] = Codewords, ["rotation"] = Rotation,
            ["trainingSamples"] = Samples, ["restarts"] = Restarts,
        });
        return new CodebookSpec(d, k, n, result.GetValue(Seed), rotation, samples, restarts);
    }

    /// <summary>Throws a <see cref="UsageException"/> for a failed spec check, naming the option that maps to its parameter.</summary>
    public static void Check(SpecError error, IReadOnlyDictionary<string, Option> options)
    {
        if (!error.IsError) return;
        string message = error.Message;
        if (!options.TryGetValue(error.ParameterName, out Option? option)) throw new UsageException(message);
        string name = Display(option);
        throw new UsageException(message.StartsWith(error.ParameterName, StringComparison.Ordinal)
            ? name + message.Substring(error.ParameterName.Length)
            : $"{name}: {message}");
    }

    /// <summary>--vectors and the like: an integer option that must lie in [min, max].</summary>
    public static int InRange(ParseResult result, Option<int> option, int min, int max)
    {
        int value = result.GetValue(option);
        if (value < min || value > max)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{Display(option)} must be in [{min}, {max}], got {value}."));
        return value;
    }

    /// <summary>"-k/--block-size": every spelling a user may have typed.</summary>
    public static string Display(Option option)
    {
        var names = option.Aliases.OrderBy(a => a.Length).ToList();
        names.Add(option.Name);
        return string.Join("/", names);
    }
}
