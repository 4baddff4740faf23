using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace FibQuant.Tests.Fuzzing;

/// <summary>
/// A time-bounded mutation loop: runs a target on mutated inputs, counts accepted and rejected inputs, and records as a
/// crash any exception outside the target's documented rejection types, and as a hang any input slower than a limit.
/// </summary>
internal sealed class FuzzRun
{
    private readonly string _name;
    private readonly ITestOutputHelper _output;
    private readonly List<string> _crashes = new();

    public FuzzRun(string name, ITestOutputHelper output)
    {
        _name = name;
        _output = output;
    }

    public long Executions { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>
    /// Runs <paramref name="target"/> on each seed, then on mutants until <paramref name="budget"/> passes.
    /// <paramref name="isDocumented"/> says whether an exception is an allowed rejection of that input.
    /// </summary>
    public void Run(IReadOnlyList<byte[]> seeds, TimeSpan budget, int seed, Action<byte[]> target, Func<byte[], Exception, bool> isDocumented,
        Func<byte[], byte[]>? repair = null)
    {
        var mutator = new Mutator(seed);
        var clock = Stopwatch.StartNew();
        TimeSpan slowest = TimeSpan.Zero;
        foreach (byte[] input in seeds)
        {
            target(input); // the seeds are valid: they must be accepted
            Executions++;
        }

        bool repaired = false;
        byte[] mutant = Array.Empty<byte>();
        while (clock.Elapsed < budget)
        {
            // With a repair function every mutant runs twice: as is, and with its checksums recomputed so the
            // mutation reaches the field checks behind them.
            if (!repaired) mutant = mutator.Mutate(seeds);
            byte[] input = repaired ? repair!(mutant) : mutant;
            repaired = repair is not null && !repaired;
            long before = clock.ElapsedTicks;
            try
            {
                target(input);
            }
            catch (Exception e) when (isDocumented(input, e))
            {
                Rejected++;
            }
            catch (Exception e)
            {
                if (_crashes.Count < 5) _crashes.Add($"{e.GetType().Name}: {e.Message} on {input.Length} bytes: {Convert.ToHexString(input.AsSpan(0, Math.Min(96, input.Length)))}\n{e.StackTrace}");
                else _crashes.Add(e.GetType().Name);
            }

            Executions++;
            var elapsed = TimeSpan.FromTicks((clock.ElapsedTicks - before) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
            if (elapsed > slowest) slowest = elapsed;
        }

        _output.WriteLine($"fuzz {_name}: {Executions} executions in {clock.Elapsed.TotalSeconds:F1} s, {Rejected} rejected, " +
                          $"{Executions - Rejected - _crashes.Count} accepted, {_crashes.Count} crashes, slowest input {slowest.TotalMilliseconds:F1} ms");
        foreach (string crash in _crashes.Take(5)) _output.WriteLine(crash);
        Assert.Empty(_crashes);
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"an input took {slowest.TotalSeconds:F1} s (hang)");
        Assert.True(Executions > seeds.Count + 100, "the loop should run many inputs");
        Assert.True(Rejected > 0, "mutated inputs should be rejected at least sometimes");
    }

    /// <summary>The data-corruption rejection of every reader: exactly <see cref="InvalidDataException"/>.</summary>
    public static bool InvalidData(byte[] input, Exception e) => e is InvalidDataException;
}
