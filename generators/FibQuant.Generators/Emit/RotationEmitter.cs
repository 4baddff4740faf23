using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;

namespace FibQuant.Generators.Emit;

/// <summary>
/// Rotation kernels. Haar: column sweeps (axpy) in j order, each element (line·s) + acc, multiply then add and never
/// fused — the runtime HaarRotation's arithmetic, with d folded in, accumulators kept in registers and the chunk loop
/// unrolled. Hadamard: the runtime's sign flips and Walsh–Hadamard butterflies with the scale folded in.
/// </summary>
internal static class RotationEmitter
{
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string MaxAccumulators = "16";

    public static void Emit(IndentedWriter w, DesignedCodebook c)
    {
        if (c.IsHaar) EmitHaar(w, c);
        else EmitHadamard(w, c);
    }

    private static void EmitHaar(IndentedWriter w, DesignedCodebook c)
    {
        w.Line("private static void RotateCore(global::System.ReadOnlySpan<float> source, global::System.Span<float> destination) =>");
        w.Line($"    Sweep(ref {Marshal}.GetReference(RotationColumns), ref {Marshal}.GetReference(source), ref {Marshal}.GetReference(destination));");
        w.Line();
        w.Line("private static void InverseRotateCore(global::System.ReadOnlySpan<float> source, global::System.Span<float> destination) =>");
        w.Line($"    Sweep(ref {Marshal}.GetReference(RotationMatrix), ref {Marshal}.GetReference(source), ref {Marshal}.GetReference(destination));");
        w.Line();
        w.Line("// destination = Σ_j source[j] · line_j, swept in j order; every element is (line·s) + acc, never fused.");
        using (w.Block("private static void Sweep(ref float lines, ref float source, ref float destination)"))
        {
            bool first = true;
            foreach (int width in new[] { 16, 8, 4 })
            {
                if (c.Dimension % width != 0) continue;
                string vector = "global::System.Runtime.Intrinsics.Vector" + (width * 32);
                using (w.Block($"{(first ? "if" : "else if")} ({vector}.IsHardwareAccelerated)"))
                {
                    int perChunk = int.Parse(MaxAccumulators, System.Globalization.CultureInfo.InvariantCulture) * width;
                    for (int start = 0; start < c.Dimension; start += perChunk)
                    {
                        int count = System.Math.Min(perChunk, c.Dimension - start) / width;
                        using (w.Block(string.Empty))
                        {
                            for (int a = 0; a < count; a++) w.Line($"var a{a} = {vector}<float>.Zero;");
                            using (w.Block($"for (int j = 0; j < {c.Dimension}; j++)"))
                            {
                                w.Line($"var s = {vector}.Create({Unsafe}.Add(ref source, j));");
                                w.Line($"ref float line = ref {Unsafe}.Add(ref lines, j * {c.Dimension} + {start});");
                                for (int a = 0; a < count; a++)
                                    w.Line($"a{a} = {vector}.LoadUnsafe(ref line, (nuint){a * width}) * s + a{a};");
                            }

                            for (int a = 0; a < count; a++) w.Line($"{vector}.StoreUnsafe(a{a}, ref destination, (nuint){start + a * width});");
                        }
                    }
                }

                first = false;
            }

            using (w.Block(first ? "// Scalar: no vector path fits this dimension." : "else"))
            {
                w.Line($"for (int i = 0; i < {c.Dimension}; i++) {Unsafe}.Add(ref destination, i) = 0f;");
                using (w.Block($"for (int j = 0; j < {c.Dimension}; j++)"))
                {
                    w.Line($"float s = {Unsafe}.Add(ref source, j);");
                    w.Line($"ref float line = ref {Unsafe}.Add(ref lines, j * {c.Dimension});");
                    w.Line($"for (int i = 0; i < {c.Dimension}; i++) {Unsafe}.Add(ref destination, i) = {Unsafe}.Add(ref line, i) * s + {Unsafe}.Add(ref destination, i);");
                }
            }
        }

        w.Line();
    }

    private static void EmitHadamard(IndentedWriter w, DesignedCodebook c)
    {
        float scale = (float)(1.0 / (c.Dimension * System.Math.Sqrt(c.Dimension)));
        string tensor = "global::System.Numerics.Tensors.TensorPrimitives";
        string wht = "global::FibQuant.Rotation.WalshHadamard.Transform";
        int d = c.Dimension;
        w.Line("/// <summary>The rotation's scale d^(−3/2).</summary>");
        w.Line($"private const float HadamardScale = {EmitText.Float(scale)};");
        w.Line();
        using (w.Block("private static void RotateCore(global::System.ReadOnlySpan<float> source, global::System.Span<float> destination)"))
        {
            w.Line($"{tensor}.Multiply(source, HadamardSigns.Slice(0, {d}), destination);");
            w.Line($"{wht}(destination);");
            w.Line($"{tensor}.Multiply(destination, HadamardSigns.Slice({d}, {d}), destination);");
            w.Line($"{wht}(destination);");
            w.Line($"{tensor}.Multiply(destination, HadamardSigns.Slice({2 * d}, {d}), destination);");
            w.Line($"{wht}(destination);");
            w.Line($"{tensor}.Multiply(destination, HadamardScale, destination);");
        }

        w.Line();
        using (w.Block("private static void InverseRotateCore(global::System.ReadOnlySpan<float> source, global::System.Span<float> destination)"))
        {
            w.Line($"{tensor}.Multiply(source, HadamardScale, destination);");
            w.Line($"{wht}(destination);");
            w.Line($"{tensor}.Multiply(destination, HadamardSigns.Slice({2 * d}, {d}), destination);");
            w.Line($"{wht}(destination);");
            w.Line($"{tensor}.Multiply(destination, HadamardSigns.Slice({d}, {d}), destination);");
            w.Line($"{wht}(destination);");
            w.Line($"{tensor}.Multiply(destination, HadamardSigns.Slice(0, {d}), destination);");
        }

        w.Line();
    }
}
