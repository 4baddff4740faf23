using FibQuant.Coding;
using FibQuant.Simd;
using Xunit;

namespace FibQuant.Tests.Determinism;

/// <summary>
/// The approximate encoders' group scan (<see cref="CandidateGroups"/>) on every register width this CPU runs against
/// its one-lane instantiation and against a plain scalar minimum of (distance, index) over the probed members, with
/// duplicated codewords in different groups so ties must go to the lowest index whatever the probe order.
/// </summary>
[Trait("Category", "Determinism")]
public sealed class ApproximateSearchWidthTests
{
    private const int K = 8, N = 300;

    public static TheoryData<int> Widths() => new() { 512, 256, 128, 1 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Group_scan_gives_the_scalar_minimum_on_every_width(int width)
    {
        var random = new Random(width);
        float[] table = Values(random, N * K);
        // Codeword 250 duplicates 17 (different groups below): a tie broken by index, not by probe order.
        Array.Copy(table, 17 * K, table, 250 * K, K);
        (int[] start, int[] members) = Groups(random);
        var groups = new CandidateGroups(table, K, start, members);
        var y = new float[K];
        var probe = new int[5];
        for (int trial = 0; trial < 3000; trial++)
        {
            for (int j = 0; j < K; j++) y[j] = trial % 7 == 0 ? table[17 * K + j] : (float)(random.NextDouble() * 2 - 1);
            for (int p = 0; p < probe.Length; p++) probe[p] = random.Next(groups.Count);
            if (trial % 7 == 0)
            {
                probe[0] = GroupOf(250, start, members);
                probe[1] = GroupOf(17, start, members);
            }

            int expected = ScalarMinimum(table, y, probe, start, members);
            int actual = width switch
            {
                512 => groups.Nearest<Lanes512>(ref y[0], probe),
                256 => groups.Nearest<Lanes256>(ref y[0], probe),
                128 => groups.Nearest<Lanes128>(ref y[0], probe),
                _ => groups.Nearest<ScalarLanes>(ref y[0], probe),
            };
            Assert.Equal(expected, actual);
            if (trial % 7 == 0) Assert.Equal(17, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Group_distances_have_the_scalar_bits_on_every_width(int width)
    {
        var random = new Random(width + 10);
        float[] table = Values(random, N * K);
        (int[] start, int[] members) = Groups(random);
        var groups = new CandidateGroups(table, K, start, members);
        float[] y = Values(random, K);
        for (int g = 0; g < groups.Count; g++)
        {
            var distances = new float[groups.Width(g)];
            switch (width)
            {
                case 512: groups.Distances<Lanes512>(ref y[0], g, distances); break;
                case 256: groups.Distances<Lanes256>(ref y[0], g, distances); break;
                case 128: groups.Distances<Lanes128>(ref y[0], g, distances); break;
                default: groups.Distances<ScalarLanes>(ref y[0], g, distances); break;
            }

            for (int s = 0; s < distances.Length; s++)
            {
                float expected = s < start[g + 1] - start[g] ? Distance(table, members[start[g] + s], y) : float.PositiveInfinity;
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(distances[s]));
            }
        }
    }

    [Fact]
    public void A_distance_buffer_of_the_wrong_length_is_rejected()
    {
        var groups = new CandidateGroups(new float[2 * K], K, [0, 2], [0, 1]);
        var y = new float[K];
        Assert.Equal("distances", Assert.Throws<ArgumentException>(() => groups.Distances(ref y[0], 0, new float[2])).ParamName);
    }

    // Uneven groups (sizes 1 … 40, most not a multiple of 16), members shuffled then ascending inside each group.
    private static (int[] Start, int[] Members) Groups(Random random)
    {
        var order = new int[N];
        for (int i = 0; i < N; i++) order[i] = i;
        random.Shuffle(order);
        var start = new List<int> { 0 };
        while (start[^1] < N) start.Add(Math.Min(N, start[^1] + 1 + random.Next(40)));
        for (int g = 0; g + 1 < start.Count; g++) Array.Sort(order, start[g], start[g + 1] - start[g]);
        return (start.ToArray(), order);
    }

    private static int GroupOf(int codeword, int[] start, int[] members)
    {
        int at = Array.IndexOf(members, codeword);
        int g = 0;
        while (start[g + 1] <= at) g++;
        return g;
    }

    private static int ScalarMinimum(float[] table, float[] y, int[] probe, int[] start, int[] members)
    {
        float best = float.PositiveInfinity;
        int bestIndex = int.MaxValue;
        foreach (int g in probe)
        {
            for (int s = start[g]; s < start[g + 1]; s++)
            {
                int c = members[s];
                float d = Distance(table, c, y);
                if (d < best || (d == best && c < bestIndex))
                {
                    best = d;
                    bestIndex = c;
                }
            }
        }

        return bestIndex;
    }

    private static float Distance(float[] table, int c, float[] y)
    {
        float acc = 0f;
        for (int j = 0; j < K; j++)
        {
            float diff = y[j] - table[c * K + j];
            acc += diff * diff;
        }

        return acc;
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
