using System;
using System.Runtime.InteropServices;
using FibQuant.Coding;
using FibQuant.Rotation;
using FibQuant.Simd;
using Xunit;

namespace FibQuant.Tests.Determinism;

/// <summary>
/// Each kernel is written once over the register width; here every width this CPU runs is compared, bit for bit, with
/// the one-lane (scalar) instantiation of the same kernel in the same process (a width the CPU lacks runs in the
/// runtime's software fallback, still lane by lane). <c>.ci/isa-paths.sh</c> covers the
/// process-wide switches (DOTNET_EnableAVX512=0 …) on top.
/// </summary>
[Trait("Category", "Determinism")]
public sealed class KernelWidthTests
{
    public static TheoryData<int> Widths() => new() { 512, 256, 128 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Codeword_parallel_search_equals_the_scalar_scan(int width)
    {
        const int k = 3, n = 64;
        var random = new Random(width);
        float[] table = RandomValues(random, k * n);
        // Duplicate codewords: ties must go to the lowest index on every width.
        for (int j = 0; j < k; j++) table[j * n + 40] = table[j * n + 7];
        var y = new float[k];
        for (int trial = 0; trial < 2000; trial++)
        {
            for (int j = 0; j < k; j++) y[j] = trial % 10 == 0 ? table[j * n + 7] : (float)(random.NextDouble() * 2 - 1);
            int expected = NearestCodeword.Nearest<ScalarLanes, RuntimeDimensions>(new RuntimeDimensions(k, k, n), ref y[0], ref table[0]);
            int actual = width switch
            {
                512 => NearestCodeword.Nearest<Lanes512, RuntimeDimensions>(new RuntimeDimensions(k, k, n), ref y[0], ref table[0]),
                256 => NearestCodeword.Nearest<Lanes256, RuntimeDimensions>(new RuntimeDimensions(k, k, n), ref y[0], ref table[0]),
                _ => NearestCodeword.Nearest<Lanes128, RuntimeDimensions>(new RuntimeDimensions(k, k, n), ref y[0], ref table[0]),
            };
            Assert.Equal(expected, actual);
            if (trial % 10 == 0) Assert.Equal(7, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Block_parallel_search_equals_the_scalar_scan(int width)
    {
        const int k = 2, n = 16, count = 37;
        var random = new Random(width + 1);
        float[] table = RandomValues(random, k * n);
        float[] planes = RandomValues(random, k * count);
        var expected = new ushort[count];
        var actual = new ushort[count];
        ref ushort e = ref MemoryMarshal.GetArrayDataReference(expected);
        ref ushort a = ref MemoryMarshal.GetArrayDataReference(actual);
        Assert.Equal(count, BlockParallelSearch.Groups<ScalarLanes, RuntimeDimensions>(new RuntimeDimensions(k * count, k, n), ref planes[0], 0, ref table[0], ref e));
        int done = width switch
        {
            512 => BlockParallelSearch.Groups<Lanes512, RuntimeDimensions>(new RuntimeDimensions(k * count, k, n), ref planes[0], 0, ref table[0], ref a),
            256 => BlockParallelSearch.Groups<Lanes256, RuntimeDimensions>(new RuntimeDimensions(k * count, k, n), ref planes[0], 0, ref table[0], ref a),
            _ => BlockParallelSearch.Groups<Lanes128, RuntimeDimensions>(new RuntimeDimensions(k * count, k, n), ref planes[0], 0, ref table[0], ref a),
        };
        // A width the process does not accelerate leaves every block to the narrower instantiations.
        Assert.Equal(Accelerated(width) ? count / (width / 32) * (width / 32) : 0, done);
        BlockParallelSearch.Groups<ScalarLanes, RuntimeDimensions>(new RuntimeDimensions(k * count, k, n), ref planes[0], done, ref table[0], ref a);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Matrix_sweep_equals_the_scalar_sweep(int width)
    {
        const int d = 46; // four-register tiles (128-, 256-bit), one-register tiles and a scalar tail on every width
        const float pre = 0.7f, post = 1.3f; // decode's ν and encode's 1/ν, folded into the sweep
        var random = new Random(width + 2);
        float[] matrix = RandomValues(random, d * d);
        float[] source = RandomValues(random, d);
        var expected = new float[d];
        var actual = new float[d];
        MatrixSweep.Tiles<ScalarLanes, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref matrix[0], ref source[0], ref expected[0], 0, pre, post);
        int done = width switch
        {
            512 => MatrixSweep.Tiles<Lanes512, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref matrix[0], ref source[0], ref actual[0], 0, pre, post),
            256 => MatrixSweep.Tiles<Lanes256, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref matrix[0], ref source[0], ref actual[0], 0, pre, post),
            _ => MatrixSweep.Tiles<Lanes128, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref matrix[0], ref source[0], ref actual[0], 0, pre, post),
        };
        Assert.True(done < d, "the test must leave a scalar tail");
        MatrixSweep.Tiles<ScalarLanes, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref matrix[0], ref source[0], ref actual[0], done, pre, post);
        AssertBits(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Walsh_Hadamard_equals_the_scalar_butterflies(int width)
    {
        var random = new Random(width + 3);
        foreach (int n in new[] { 16, 64, 256 })
        {
            float[] expected = RandomValues(random, n);
            float[] actual = (float[])expected.Clone();
            WalshHadamard.Transform<ScalarLanes>(ref expected[0], n);
            switch (width)
            {
                case 512: WalshHadamard.Transform<Lanes512>(ref actual[0], n); break;
                case 256: WalshHadamard.Transform<Lanes256>(ref actual[0], n); break;
                default: WalshHadamard.Transform<Lanes128>(ref actual[0], n); break;
            }

            AssertBits(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Randomized_Hadamard_rotation_equals_the_scalar_rotation(int width)
    {
        var random = new Random(width + 4);
        foreach (int d in new[] { 16, 32, 64, 128, 256 })
        {
            float[] signs = new float[3 * d];
            for (int i = 0; i < signs.Length; i++) signs[i] = random.Next(2) == 0 ? -1f : 1f;
            float[] source = RandomValues(random, d);
            float scale = HadamardRotation.Scale(d);
            var expected = new float[d];
            var actual = new float[d];
            HadamardRotation.Forward<ScalarLanes, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 0.9f, ref source[0], ref expected[0]);
            switch (width)
            {
                case 512: HadamardRotation.Forward<Lanes512, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 0.9f, ref source[0], ref actual[0]); break;
                case 256: HadamardRotation.Forward<Lanes256, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 0.9f, ref source[0], ref actual[0]); break;
                default: HadamardRotation.Forward<Lanes128, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 0.9f, ref source[0], ref actual[0]); break;
            }

            AssertBits(expected, actual);
            HadamardRotation.Inverse<ScalarLanes, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 1.7f, ref source[0], ref expected[0]);
            switch (width)
            {
                case 512: HadamardRotation.Inverse<Lanes512, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 1.7f, ref source[0], ref actual[0]); break;
                case 256: HadamardRotation.Inverse<Lanes256, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 1.7f, ref source[0], ref actual[0]); break;
                default: HadamardRotation.Inverse<Lanes128, RuntimeDimensions>(new RuntimeDimensions(d, 1, 1), ref signs[0], scale, 1.7f, ref source[0], ref actual[0]); break;
            }

            AssertBits(expected, actual);
        }
    }

    [Fact]
    public void The_reported_vector_path_is_the_widest_accelerated_width()
    {
        VectorPath expected = Accelerated(512) ? VectorPath.Vector512 : Accelerated(256) ? VectorPath.Vector256
            : Accelerated(128) ? VectorPath.Vector128 : VectorPath.Scalar;
        Assert.Equal(expected, VectorPaths.Current);
        Assert.Equal(IsaReport.Widest(), VectorPaths.Current.ToString());
        Assert.StartsWith(expected.ToString(), VectorPaths.Describe(), StringComparison.Ordinal);
    }

    private static bool Accelerated(int width) => width switch
    {
        512 => Lanes512.IsAccelerated,
        256 => Lanes256.IsAccelerated,
        _ => Lanes128.IsAccelerated,
    };

    private static float[] RandomValues(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"element {i}: {expected[i]:R} vs {actual[i]:R}");
    }
}
