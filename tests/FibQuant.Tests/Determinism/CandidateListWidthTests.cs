using FibQuant.Coding;
using FibQuant.Simd;
using Xunit;

namespace FibQuant.Tests.Determinism;

/// <summary>
/// The kernels of the default hierarchical search on every register width this CPU runs: the one-group score scan
/// (<see cref="CandidateGroups.NearestByScore{TLanes}"/>) against a scalar minimum of (½‖c‖² − ⟨y, c⟩, index), and the
/// lane reduction (<see cref="LaneArgMin"/>) against a sequential scan of the lanes, with ties so the lowest index must win.
/// </summary>
[Trait("Category", "Determinism")]
public sealed class CandidateListWidthTests
{
    private const int N = 300;

    public static TheoryData<int> Widths() => new() { 512, 256, 128, 1 };

    public static TheoryData<int, int> WidthsAndBlockSizes() => new() { { 512, 8 }, { 256, 8 }, { 128, 8 }, { 1, 8 }, { 512, 4 }, { 256, 4 }, { 128, 4 }, { 1, 4 } };

    // k = 8 runs the written-out scan, k = 4 the loop over k: both must give the scalar answer.
    [Theory]
    [MemberData(nameof(WidthsAndBlockSizes))]
    public void Score_scan_gives_the_scalar_minimum_on_every_width(int width, int k)
    {
        var random = new Random(width + 20 + k);
        float[] table = Values(random, N * k);
        Array.Copy(table, 17 * k, table, 250 * k, k); // 17 and 250 tie in every score: 17 must win
        int[] sizes = [1, 15, 16, 17, 31, 32, 33, 48, 50, 60];
        var start = new int[sizes.Length + 1];
        for (int g = 0; g < sizes.Length; g++) start[g + 1] = start[g] + sizes[g];
        var members = new int[start[^1]];
        for (int g = 0; g < sizes.Length; g++)
        {
            // Ascending members drawn without repetition; the last group holds both twins.
            var chosen = new SortedSet<int>();
            if (g == sizes.Length - 1) chosen.UnionWith([17, 250]);
            while (chosen.Count < sizes[g]) chosen.Add(random.Next(N));
            chosen.CopyTo(members, start[g]);
        }

        var groups = new CandidateGroups(table, k, start, members);
        var y = new float[k];
        for (int trial = 0; trial < 2000; trial++)
        {
            int g = trial % sizes.Length;
            for (int j = 0; j < k; j++) y[j] = g == sizes.Length - 1 && trial % 3 == 0 ? table[17 * k + j] : (float)(random.NextDouble() * 2 - 1);
            int actual = width switch
            {
                512 => groups.NearestByScore<Lanes512>(ref y[0], g),
                256 => groups.NearestByScore<Lanes256>(ref y[0], g),
                128 => groups.NearestByScore<Lanes128>(ref y[0], g),
                _ => groups.NearestByScore<ScalarLanes>(ref y[0], g),
            };
            Assert.Equal(ScalarMinimum(table, k, y, members.AsSpan(start[g], sizes[g])), actual);
            if (g == sizes.Length - 1 && trial % 3 == 0) Assert.Equal(17, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Halving_reduction_equals_the_sequential_one(int width)
    {
        var random = new Random(width + 30);
        var distances = new float[16];
        var indices = new float[16];
        for (int trial = 0; trial < 5000; trial++)
        {
            // Few distinct distances, so most trials have ties across lanes; indices distinct per trial.
            for (int lane = 0; lane < 16; lane++)
            {
                distances[lane] = random.Next(4) == 0 ? float.PositiveInfinity : random.Next(3);
                indices[lane] = lane * 37 % 16 + 16 * random.Next(100);
            }

            // Lane count of the width: the halving reduction must agree with a strict-less scan of those lanes.
            int lanes = width switch { 512 => 16, 256 => 8, 128 => 4, _ => ScalarLanes.Count };
            int expected = (int)indices[0];
            float least = distances[0];
            for (int lane = 1; lane < lanes; lane++)
            {
                if (distances[lane] < least || (distances[lane] == least && indices[lane] < expected))
                {
                    least = distances[lane];
                    expected = (int)indices[lane];
                }
            }

            int actual = width switch
            {
                512 => LaneArgMin.Reduce(Lanes512.Load(ref distances[0], 0), Lanes512.Load(ref indices[0], 0)),
                256 => LaneArgMin.Reduce(Lanes256.Load(ref distances[0], 0), Lanes256.Load(ref indices[0], 0)),
                128 => LaneArgMin.Reduce(Lanes128.Load(ref distances[0], 0), Lanes128.Load(ref indices[0], 0)),
                _ => LaneArgMin.Reduce(ScalarLanes.Load(ref distances[0], 0), ScalarLanes.Load(ref indices[0], 0)),
            };
            Assert.Equal(expected, actual);
        }
    }

    private static int ScalarMinimum(float[] table, int k, float[] y, ReadOnlySpan<int> members)
    {
        float best = float.PositiveInfinity;
        int bestIndex = int.MaxValue;
        foreach (int c in members)
        {
            float norm2 = 0f;
            for (int j = 0; j < k; j++) norm2 += table[c * k + j] * table[c * k + j];
            float score = 0.5f * norm2;
            for (int j = 0; j < k; j++) score -= y[j] * table[c * k + j];
            if (score < best || (score == best && c < bestIndex))
            {
                best = score;
                bestIndex = c;
            }
        }

        return bestIndex;
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
