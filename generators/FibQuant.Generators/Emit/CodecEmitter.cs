using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;

namespace FibQuant.Generators.Emit;

/// <summary>
/// The public codec surface: Encode / Decode (same arithmetic order as the runtime <c>FibQuantizer</c>, so the codes and
/// decoded vectors are identical), the batch forms, Rotate / InverseRotate and BuildScoreTable.
/// </summary>
internal static class CodecEmitter
{
    private const string Span = "global::System.Span";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    public static void EmitPublicMethods(IndentedWriter w, DesignedCodebook c)
    {
        EmitEncode(w, c);
        EmitDecode(w, c);
        EmitBatches(w);
        EmitRotate(w);
        EmitScoreTable(w, c);
        EmitNorm(w);
        EmitChecks(w);
    }

    private static void EmitEncode(IndentedWriter w, DesignedCodebook c)
    {
        w.Line("/// <summary>Encodes one vector (length d) into <paramref name=\"code\"/> (length <see cref=\"EncodedSize\"/>): the same bytes as the runtime FibQuantizer.</summary>");
        using (w.Block($"public static void Encode({ReadOnlySpan}<float> vector, {Span}<byte> code)"))
        {
            w.Line("CheckLength(vector.Length, Dimension, nameof(vector), \"the dimension d\");");
            w.Line("CheckLength(code.Length, EncodedSize, nameof(code), \"EncodedSize\");");
            w.Line("float norm = Norm(vector);");
            w.Line("global::FibQuant.Coding.NormHeader.Write(code, norm, NormFormat);");
            using (w.Block("if (norm == 0f)"))
            {
                w.Line("code.Slice(HeaderSize).Clear();");
                w.Line("return;");
            }

            w.Line($"{Span}<float> rotated = stackalloc float[Dimension];");
            w.Line("RotateCore(vector, rotated);");
            w.Line("float scale = 1f / norm;");
            w.Line($"ref float u = ref {Marshal}.GetReference(rotated);");
            w.Line($"for (int i = 0; i < Dimension; i++) {Unsafe}.Add(ref u, i) = {Unsafe}.Add(ref u, i) * scale;");
            w.Line($"{Span}<ushort> indices = stackalloc ushort[BlocksPerVector];");
            w.Line("FindAll(ref u, indices);");
            w.Line("Pack(indices, code.Slice(HeaderSize));");
        }

        w.Line();
    }

    private static void EmitDecode(IndentedWriter w, DesignedCodebook c)
    {
        w.Line("/// <summary>Decodes <paramref name=\"code\"/>: x̂ = ν Πᵀ [c_idx₁ … c_idx_(d/k)]; throws InvalidDataException on a corrupt header or padding.</summary>");
        using (w.Block($"public static void Decode({ReadOnlySpan}<byte> code, {Span}<float> vector)"))
        {
            w.Line("CheckLength(code.Length, EncodedSize, nameof(code), \"EncodedSize\");");
            w.Line("CheckLength(vector.Length, Dimension, nameof(vector), \"the dimension d\");");
            w.Line("float norm = global::FibQuant.Coding.NormHeader.Read(code, NormFormat);");
            w.Line($"{Span}<ushort> indices = stackalloc ushort[BlocksPerVector];");
            w.Line("Unpack(code.Slice(HeaderSize), indices);");
            using (w.Block("if (norm == 0f)"))
            {
                w.Line("vector.Clear();");
                w.Line("return;");
            }

            w.Line($"{Span}<float> blocks = stackalloc float[Dimension];");
            w.Line($"ref float table = ref {Marshal}.GetReference(CodewordTable);");
            w.Line($"ref float block = ref {Marshal}.GetReference(blocks);");
            using (w.Block("for (int b = 0; b < BlocksPerVector; b++)"))
            {
                w.Line($"ref float word = ref {Unsafe}.Add(ref table, indices[b] * BlockSize);");
                w.Line($"ref float target = ref {Unsafe}.Add(ref block, b * BlockSize);");
                if (c.BlockSize <= 16)
                {
                    for (int j = 0; j < c.BlockSize; j++)
                        w.Line(j == 0 ? "target = word * norm;" : $"{Unsafe}.Add(ref target, {j}) = {Unsafe}.Add(ref word, {j}) * norm;");
                }
                else
                {
                    w.Line($"for (int j = 0; j < BlockSize; j++) {Unsafe}.Add(ref target, j) = {Unsafe}.Add(ref word, j) * norm;");
                }
            }

            w.Line("InverseRotateCore(blocks, vector);");
        }

        w.Line();
    }

    private static void EmitBatches(IndentedWriter w)
    {
        w.Line("/// <summary>Encodes <paramref name=\"vectors\"/> (count·d values) into <paramref name=\"codes\"/> (count·EncodedSize bytes).</summary>");
        using (w.Block($"public static void EncodeBatch({ReadOnlySpan}<float> vectors, {Span}<byte> codes)"))
        {
            w.Line("int count = BatchCount(vectors.Length, codes.Length);");
            w.Line("for (int i = 0; i < count; i++) Encode(vectors.Slice(i * Dimension, Dimension), codes.Slice(i * EncodedSize, EncodedSize));");
        }

        w.Line();
        w.Line("/// <summary>Decodes <paramref name=\"codes\"/> (count·EncodedSize bytes) into <paramref name=\"vectors\"/> (count·d values).</summary>");
        using (w.Block($"public static void DecodeBatch({ReadOnlySpan}<byte> codes, {Span}<float> vectors)"))
        {
            w.Line("int count = BatchCount(vectors.Length, codes.Length);");
            w.Line("for (int i = 0; i < count; i++) Decode(codes.Slice(i * EncodedSize, EncodedSize), vectors.Slice(i * Dimension, Dimension));");
        }

        w.Line();
    }

    private static void EmitRotate(IndentedWriter w)
    {
        w.Line("/// <summary>rotated = Π · vector (no normalisation). The spans have length d and must not overlap.</summary>");
        using (w.Block($"public static void Rotate({ReadOnlySpan}<float> vector, {Span}<float> rotated)"))
        {
            w.Line("CheckRotation(vector, rotated);");
            w.Line("RotateCore(vector, rotated);");
        }

        w.Line();
        w.Line("/// <summary>vector = Πᵀ · rotated. The spans have length d and must not overlap.</summary>");
        using (w.Block($"public static void InverseRotate({ReadOnlySpan}<float> rotated, {Span}<float> vector)"))
        {
            w.Line("CheckRotation(rotated, vector);");
            w.Line("InverseRotateCore(rotated, vector);");
        }

        w.Line();
    }

    private static void EmitScoreTable(IndentedWriter w, DesignedCodebook c)
    {
        w.Line("/// <summary>table[i·N + n] = ⟨rotatedQuery_i, c_n⟩ for the d/k blocks of a rotated query ((d/k)·N entries).</summary>");
        using (w.Block($"public static void BuildScoreTable({ReadOnlySpan}<float> rotatedQuery, {Span}<float> table)"))
        {
            w.Line("CheckLength(rotatedQuery.Length, Dimension, nameof(rotatedQuery), \"the dimension d\");");
            w.Line("CheckLength(table.Length, BlocksPerVector * Codewords, nameof(table), \"(d/k)·N\");");
            w.Line($"ref float words = ref {Marshal}.GetReference(CodewordTable);");
            w.Line($"ref float query = ref {Marshal}.GetReference(rotatedQuery);");
            w.Line($"ref float output = ref {Marshal}.GetReference(table);");
            using (w.Block("for (int b = 0; b < BlocksPerVector; b++)"))
            {
                w.Line($"ref float q = ref {Unsafe}.Add(ref query, b * BlockSize);");
                bool unroll = c.BlockSize <= 16;
                if (unroll)
                {
                    for (int j = 0; j < c.BlockSize; j++) w.Line($"float q{j} = {Unsafe}.Add(ref q, {j});");
                }

                using (w.Block("for (int n = 0; n < Codewords; n++)"))
                {
                    w.Line($"ref float word = ref {Unsafe}.Add(ref words, n * BlockSize);");
                    if (unroll)
                    {
                        w.Line("float sum = q0 * word;");
                        for (int j = 1; j < c.BlockSize; j++) w.Line($"sum += q{j} * {Unsafe}.Add(ref word, {j});");
                    }
                    else
                    {
                        w.Line("float sum = 0f;");
                        w.Line($"for (int j = 0; j < BlockSize; j++) sum += {Unsafe}.Add(ref q, j) * {Unsafe}.Add(ref word, j);");
                    }

                    w.Line($"{Unsafe}.Add(ref output, b * Codewords + n) = sum;");
                }
            }
        }

        w.Line();
    }

    private static void EmitNorm(IndentedWriter w)
    {
        w.Line("// ‖x‖₂ accumulated in double in index order, exactly as the runtime codec does.");
        using (w.Block($"private static float Norm({ReadOnlySpan}<float> vector)"))
        {
            w.Line("double sum = 0;");
            using (w.Block("for (int i = 0; i < Dimension; i++)"))
            {
                w.Line("double v = vector[i];");
                w.Line("sum += v * v;");
            }

            using (w.Block("if (!double.IsFinite(sum))"))
            {
                using (w.Block("for (int i = 0; i < Dimension; i++)"))
                {
                    w.Line("if (!float.IsFinite(vector[i]))");
                    w.Line("    throw new global::System.ArgumentException($\"vector holds {vector[i]} at index {i}; only finite values can be encoded.\", nameof(vector));");
                }
            }

            w.Line("return (float)global::System.Math.Sqrt(sum);");
        }

        w.Line();
    }

    private static void EmitChecks(IndentedWriter w)
    {
        using (w.Block("private static void CheckLength(int actual, int expected, string parameterName, string what)"))
        {
            w.Line("if (actual != expected)");
            w.Line("    throw new global::System.ArgumentException($\"{parameterName} must have length {expected} ({what}), got {actual}.\", parameterName);");
        }

        w.Line();
        using (w.Block($"private static void CheckRotation({ReadOnlySpan}<float> source, {Span}<float> destination)"))
        {
            w.Line("CheckLength(source.Length, Dimension, nameof(source), \"the dimension d\");");
            w.Line("CheckLength(destination.Length, Dimension, nameof(destination), \"the dimension d\");");
            w.Line("if (global::System.MemoryExtensions.Overlaps(source, destination))");
            w.Line("    throw new global::System.ArgumentException(\"source and destination must not overlap.\", nameof(destination));");
        }

        w.Line();
        using (w.Block("private static int BatchCount(int vectorsLength, int codesLength)"))
        {
            w.Line("if (vectorsLength % Dimension != 0)");
            w.Line("    throw new global::System.ArgumentException($\"vectors length {vectorsLength} is not a multiple of the dimension {Dimension}.\", \"vectors\");");
            w.Line("int count = vectorsLength / Dimension;");
            w.Line("if ((long)count * EncodedSize != codesLength)");
            w.Line("    throw new global::System.ArgumentException($\"codes must have {count} × {EncodedSize} = {(long)count * EncodedSize} bytes for {count} vectors, got {codesLength}.\", \"codes\");");
            w.Line("return count;");
        }

        w.Line();
    }
}
