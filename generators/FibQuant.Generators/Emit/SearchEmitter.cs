using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;

namespace FibQuant.Generators.Emit;

/// <summary>
/// Exact nearest-codeword search specialised for (k, N): per codeword Σ_j (y_j − c_j)² in j order with separate
/// multiply and add, strict less-than, lowest index on ties — the runtime NearestCodeword's answer on every path.
/// k > 1 scores 16, 8 or 4 codewords per vector register with the k coordinates unrolled; k = 1 scores 16, 8 or 4
/// coordinates at once with the N codewords folded in as constants.
/// </summary>
internal static class SearchEmitter
{
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const int UnrollLimit = 16;

    public static void Emit(IndentedWriter w, DesignedCodebook c)
    {
        if (c.BlockSize == 1) EmitScalarCodebook(w, c);
        else EmitBlockSearch(w, c);
    }

    private static void EmitBlockSearch(IndentedWriter w, DesignedCodebook c)
    {
        int k = c.BlockSize, n = c.Codewords;
        using (w.Block($"private static void FindAll(ref float u, global::System.Span<ushort> indices)"))
        {
            w.Line($"ref float transposed = ref {Marshal}.GetReference(TransposedTable);");
            w.Line($"for (int b = 0; b < {c.Blocks}; b++) indices[b] = (ushort)Nearest(ref {Unsafe}.Add(ref u, b * {k}), ref transposed);");
        }

        w.Line();
        using (w.Block("private static int Nearest(ref float y, ref float t)"))
        {
            foreach (int width in new[] { 16, 8, 4 })
            {
                if (n < width) continue;
                string vector = "global::System.Runtime.Intrinsics.Vector" + (width * 32);
                using (w.Block($"if ({vector}.IsHardwareAccelerated)"))
                {
                    EmitLoadY(w, k, j => $"{vector}.Create({Y(j)})");
                    w.Line($"var best = {vector}.Create(float.PositiveInfinity);");
                    w.Line($"var bestIndex = {vector}<int>.Zero;");
                    w.Line($"var index = {vector}<int>.Indices;");
                    using (w.Block($"for (int c = 0; c < {n}; c += {width})"))
                    {
                        if (k <= UnrollLimit)
                        {
                            for (int j = 0; j < k; j++)
                            {
                                string load = $"{vector}.LoadUnsafe(ref t, (nuint)(c + {j * n}))";
                                w.Line(j == 0 ? $"var diff = y0 - {load};" : $"diff = y{j} - {load};");
                                w.Line(j == 0 ? "var acc = diff * diff;" : "acc += diff * diff;");
                            }
                        }
                        else
                        {
                            w.Line($"var acc = {vector}<float>.Zero;");
                            using (w.Block($"for (int j = 0; j < {k}; j++)"))
                            {
                                w.Line($"var diff = {vector}.Create({Unsafe}.Add(ref y, j)) - {vector}.LoadUnsafe(ref t, (nuint)(j * {n} + c));");
                                w.Line("acc += diff * diff;");
                            }
                        }

                        w.Line($"var less = {vector}.LessThan(acc, best);");
                        w.Line($"best = {vector}.ConditionalSelect(less, acc, best);");
                        w.Line($"bestIndex = {vector}.ConditionalSelect({vector}.AsInt32(less), index, bestIndex);");
                        w.Line($"index += {vector}.Create({width});");
                    }

                    w.Line("return Reduce(best, bestIndex);");
                }
            }

            w.Line("// Scalar fallback.");
            using (w.Block(string.Empty))
            {
                EmitLoadY(w, k, Y);
                w.Line($"ref float words = ref {Marshal}.GetReference(CodewordTable);");
                w.Line("float best = float.PositiveInfinity;");
                w.Line("int bestIndex = 0;");
                using (w.Block($"for (int c = 0; c < {n}; c++)"))
                {
                    w.Line($"ref float word = ref {Unsafe}.Add(ref words, c * {k});");
                    if (k <= UnrollLimit)
                    {
                        for (int j = 0; j < k; j++)
                        {
                            string cj = j == 0 ? "word" : $"{Unsafe}.Add(ref word, {j})";
                            w.Line(j == 0 ? $"float diff = y0 - {cj};" : $"diff = y{j} - {cj};");
                            w.Line(j == 0 ? "float acc = diff * diff;" : "acc += diff * diff;");
                        }
                    }
                    else
                    {
                        w.Line("float acc = 0f;");
                        using (w.Block($"for (int j = 0; j < {k}; j++)"))
                        {
                            w.Line($"float diff = {Unsafe}.Add(ref y, j) - {Unsafe}.Add(ref word, j);");
                            w.Line("acc += diff * diff;");
                        }
                    }

                    using (w.Block("if (acc < best)"))
                    {
                        w.Line("best = acc;");
                        w.Line("bestIndex = c;");
                    }
                }

                w.Line("return bestIndex;");
            }
        }

        w.Line();
        foreach (int width in new[] { 16, 8, 4 })
        {
            if (n < width) continue;
            string vector = "global::System.Runtime.Intrinsics.Vector" + (width * 32);
            w.Line("// Smallest distance; among equal distances the smallest index — what a sequential strict-less scan returns.");
            using (w.Block($"private static int Reduce({vector}<float> best, {vector}<int> bestIndex)"))
            {
                w.Line($"float value = {vector}.GetElement(best, 0);");
                w.Line($"int index = {vector}.GetElement(bestIndex, 0);");
                using (w.Block($"for (int lane = 1; lane < {width}; lane++)"))
                {
                    w.Line($"float v = {vector}.GetElement(best, lane);");
                    w.Line($"int i = {vector}.GetElement(bestIndex, lane);");
                    using (w.Block("if (v < value || (v == value && i < index))"))
                    {
                        w.Line("value = v;");
                        w.Line("index = i;");
                    }
                }

                w.Line("return index;");
            }

            w.Line();
        }
    }

    private static string Y(int j) => j == 0 ? "y" : $"{Unsafe}.Add(ref y, {j})";

    private static void EmitLoadY(IndentedWriter w, int k, System.Func<int, string> load)
    {
        if (k > UnrollLimit) return;
        for (int j = 0; j < k; j++) w.Line($"var y{j} = {load(j)};");
    }

    private static void EmitScalarCodebook(IndentedWriter w, DesignedCodebook c)
    {
        int d = c.Dimension, n = c.Codewords;
        bool unroll = n <= UnrollLimit;
        using (w.Block("private static void FindAll(ref float u, global::System.Span<ushort> indices)"))
        {
            w.Line("int i = 0;");
            if (!unroll) w.Line($"global::System.ReadOnlySpan<float> words = CodewordTable;");
            bool first = true;
            foreach (int width in new[] { 16, 8, 4 })
            {
                if (d < width) continue;
                string vector = "global::System.Runtime.Intrinsics.Vector" + (width * 32);
                using (w.Block($"{(first ? "if" : "else if")} ({vector}.IsHardwareAccelerated)"))
                {
                    using (w.Block($"for (; i + {width} <= {d}; i += {width})"))
                    {
                        w.Line($"var y = {vector}.LoadUnsafe(ref u, (nuint)i);");
                        w.Line($"var best = {vector}.Create(float.PositiveInfinity);");
                        w.Line($"var bestIndex = {vector}<int>.Zero;");
                        if (unroll)
                        {
                            w.Line($"{vector}<float> diff, acc, less;");
                            for (int cw = 0; cw < n; cw++)
                            {
                                w.Line($"diff = y - {vector}.Create({EmitText.Float(c.Table[cw])});");
                                w.Line("acc = diff * diff;");
                                w.Line($"less = {vector}.LessThan(acc, best);");
                                w.Line($"best = {vector}.ConditionalSelect(less, acc, best);");
                                w.Line($"bestIndex = {vector}.ConditionalSelect({vector}.AsInt32(less), {vector}.Create({cw}), bestIndex);");
                            }
                        }
                        else
                        {
                            using (w.Block($"for (int c = 0; c < {n}; c++)"))
                            {
                                w.Line($"var diff = y - {vector}.Create(words[c]);");
                                w.Line("var acc = diff * diff;");
                                w.Line($"var less = {vector}.LessThan(acc, best);");
                                w.Line($"best = {vector}.ConditionalSelect(less, acc, best);");
                                w.Line($"bestIndex = {vector}.ConditionalSelect({vector}.AsInt32(less), {vector}.Create(c), bestIndex);");
                            }
                        }

                        w.Line($"for (int lane = 0; lane < {width}; lane++) indices[i + lane] = (ushort){vector}.GetElement(bestIndex, lane);");
                    }
                }

                first = false;
            }

            using (w.Block($"for (; i < {d}; i++)"))
            {
                w.Line($"float y = {Unsafe}.Add(ref u, i);");
                w.Line("float best = float.PositiveInfinity;");
                w.Line("int bestIndex = 0;");
                if (unroll)
                {
                    w.Line("float diff, acc;");
                    for (int cw = 0; cw < n; cw++)
                    {
                        w.Line($"diff = y - {EmitText.Float(c.Table[cw])};");
                        w.Line("acc = diff * diff;");
                        w.Line($"if (acc < best) {{ best = acc; bestIndex = {cw}; }}");
                    }
                }
                else
                {
                    using (w.Block($"for (int c = 0; c < {n}; c++)"))
                    {
                        w.Line("float diff = y - words[c];");
                        w.Line("float acc = diff * diff;");
                        w.Line("if (acc < best) { best = acc; bestIndex = c; }");
                    }
                }

                w.Line("indices[i] = (ushort)bestIndex;");
            }
        }

        w.Line();
    }
}
