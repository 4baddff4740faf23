using System.CommandLine;
using FibQuant.Design;

namespace FibQuant.Cli.Commands;

/// <summary>The codebook-spec options shared by design and inspect.</summary>
internal sealed class SpecOptions
{
    public Option<int> Dimension { get; } = new("--dimension", "-d") { Description = "Vector (head) dimension d", DefaultValueFactory = _ => 64 };
    public Option<int> BlockSize { get; } = new("--block-size", "-k") { Description = "Block length k (must divide d)", DefaultValueFactory = _ => 2 };
    public Option<int> Codewords { get; } = new("--codewords", "-n") { Description = "Codebook size N (power of two, 2..65536)", DefaultValueFactory = _ => 16 };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Design seed", DefaultValueFactory = _ => 0UL };
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

    public CodebookSpec Read(ParseResult result) => new(
        result.GetValue(Dimension), result.GetValue(BlockSize), result.GetValue(Codewords), result.GetValue(Seed),
        result.GetValue(Rotation), result.GetValue(Samples), result.GetValue(Restarts));
}
