using System.Globalization;
using System.Text;
using FibQuant.Design;
using FibQuant.Generators.Helpers;

namespace FibQuant.Generators.Emit;

/// <summary>Literal formatting shared by the emitters: round-trip floats, invariant integers.</summary>
internal static class EmitText
{
    public static string Float(float value) => CodebookSpecFile.FormatFloat(value) + "f";

    public static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture) + "d";

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes <c>name => new float[] { … }</c>, which C# compiles to a span over the assembly's constant data.</summary>
    public static void FloatData(IndentedWriter writer, string modifiers, string name, EquatableArray<float> values, int perLine)
    {
        writer.Line($"{modifiers} global::System.ReadOnlySpan<float> {name} => new float[]");
        writer.Line("{");
        var line = new StringBuilder();
        for (int i = 0; i < values.Length; i++)
        {
            line.Append(Float(values[i])).Append(',');
            if ((i + 1) % perLine == 0 || i == values.Length - 1)
            {
                writer.Line("    " + line.ToString().TrimEnd(' '));
                line.Clear();
            }
            else
            {
                line.Append(' ');
            }
        }

        writer.Line("};");
    }
}
