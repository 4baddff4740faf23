using FibQuant.Generators.Helpers;
using FibQuant.Generators.Models;

namespace FibQuant.Generators.Emit;

/// <summary>
/// Index packing, LSB first (the runtime BitPacking layout). Widths that divide a byte with no padding are unrolled
/// per byte; other widths call the runtime's BitPacking, which also checks the padding bits.
/// </summary>
internal static class PackingEmitter
{
    public static void Emit(IndentedWriter w, DesignedCodebook c)
    {
        int bits = c.IndexBits;
        bool perByte = 8 % bits == 0 && (c.Blocks * bits) % 8 == 0;
        if (!perByte)
        {
            w.Line("private static void Pack(global::System.ReadOnlySpan<ushort> indices, global::System.Span<byte> destination) =>");
            w.Line("    global::FibQuant.Coding.BitPacking.Pack(indices, IndexBits, destination);");
            w.Line();
            w.Line("private static void Unpack(global::System.ReadOnlySpan<byte> source, global::System.Span<ushort> indices) =>");
            w.Line("    global::FibQuant.Coding.BitPacking.Unpack(source, IndexBits, indices);");
            return;
        }

        int perLane = 8 / bits;
        int bytes = c.Blocks * bits / 8;
        int mask = (1 << bits) - 1;
        using (w.Block("private static void Pack(global::System.ReadOnlySpan<ushort> indices, global::System.Span<byte> destination)"))
        {
            using (w.Block($"for (int i = 0; i < {bytes}; i++)"))
            {
                if (perLane == 1)
                {
                    w.Line("destination[i] = (byte)indices[i];");
                }
                else
                {
                    var expression = new System.Text.StringBuilder($"indices[i * {perLane}]");
                    for (int lane = 1; lane < perLane; lane++) expression.Append($" | (indices[i * {perLane} + {lane}] << {lane * bits})");
                    w.Line($"destination[i] = (byte)({expression});");
                }
            }
        }

        w.Line();
        using (w.Block("private static void Unpack(global::System.ReadOnlySpan<byte> source, global::System.Span<ushort> indices)"))
        {
            using (w.Block($"for (int i = 0; i < {bytes}; i++)"))
            {
                w.Line("int packed = source[i];");
                if (perLane == 1)
                {
                    w.Line("indices[i] = (ushort)packed;");
                }
                else
                {
                    for (int lane = 0; lane < perLane; lane++)
                        w.Line($"indices[i * {perLane} + {lane}] = (ushort)({(lane == 0 ? "packed" : $"(packed >> {lane * bits})")} & {mask});");
                }
            }
        }

        w.Line();
    }
}
