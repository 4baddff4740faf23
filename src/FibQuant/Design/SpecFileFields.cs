using System;
using System.Collections.Generic;
using System.Globalization;
using FibQuant.Coding;

namespace FibQuant.Design;

/// <summary>Binds the members of a spec file's JSON object to a <see cref="CodebookSpecFile"/>, checking names and types.</summary>
internal static class SpecFileFields
{
    private static readonly string[] Known =
    {
        "className", "namespace", "dimension", "blockSize", "codewords", "seed", "rotation", "normFormat", "trainingSamples",
        "restarts", "shells", "directionsPerShell", "trainingDistortion", "fingerprint", "radii", "table",
    };

    public static SpecFileParseResult Bind(List<KeyValuePair<string, FlatJsonValue>> members)
    {
        var map = new Dictionary<string, FlatJsonValue>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, FlatJsonValue> member in members)
        {
            if (Array.IndexOf(Known, member.Key) < 0)
                return Fail($"unknown member \"{member.Key}\"; expected one of {string.Join(", ", Known)}", member.Value);
            map[member.Key] = member.Value;
        }

        try
        {
            string className = RequiredString(map, "className");
            if (!IsIdentifier(className)) throw Error($"className \"{className}\" is not a C# identifier", map["className"]);
            string? ns = OptionalString(map, "namespace");
            if (!string.IsNullOrEmpty(ns) && !IsQualifiedName(ns!)) throw Error($"namespace \"{ns}\" is not a dotted C# name", map["namespace"]);
            int dimension = Int(map, "dimension", null);
            int blockSize = Int(map, "blockSize", null);
            int codewords = Int(map, "codewords", null);
            ulong seed = map.TryGetValue("seed", out FlatJsonValue? seedValue) ? UInt64(seedValue, "seed") : 0;
            RotationKind rotation = Enum(map, "rotation", RotationKind.Haar);
            NormFormat normFormat = Enum(map, "normFormat", NormFormat.Half);
            int samples = Int(map, "trainingSamples", 0);
            int restarts = Int(map, "restarts", CodebookSpec.DefaultRestarts);
            int? shells = map.ContainsKey("shells") ? Int(map, "shells", null) : null;
            int? directions = map.ContainsKey("directionsPerShell") ? Int(map, "directionsPerShell", null) : null;
            double distortion = map.TryGetValue("trainingDistortion", out FlatJsonValue? dv) ? Double(dv, "trainingDistortion") : 0;
            ulong? fingerprint = map.TryGetValue("fingerprint", out FlatJsonValue? fv) ? Fingerprint(fv) : null;
            float[]? radii = map.TryGetValue("radii", out FlatJsonValue? rv) ? Floats(rv, "radii") : null;
            float[]? table = map.TryGetValue("table", out FlatJsonValue? tv) ? Floats(tv, "table") : null;

            bool any = shells is not null || directions is not null || fingerprint is not null || radii is not null || table is not null;
            bool all = shells is not null && directions is not null && fingerprint is not null && radii is not null && table is not null;
            if (any && !all)
                return SpecFileParseResult.Failure(
                    "a precomputed design needs all of \"shells\", \"directionsPerShell\", \"radii\", \"table\" and \"fingerprint\"; some are missing",
                    1, 1, SpecFileErrorKind.Inconsistent);
            if (all)
            {
                if ((long)shells!.Value * directions!.Value != codewords)
                    return Inconsistent($"shells × directionsPerShell = {(long)shells.Value * directions.Value} must equal codewords = {codewords}", map["shells"]);
                if (radii!.Length != shells.Value)
                    return Inconsistent($"radii has {radii.Length} entries, expected shells = {shells.Value}", map["radii"]);
                if ((long)table!.Length != (long)codewords * blockSize)
                    return Inconsistent($"table has {table.Length} entries, expected codewords × blockSize = {(long)codewords * blockSize}", map["table"]);
                for (int i = 0; i < radii.Length; i++)
                {
                    if (!(radii[i] >= 0f && radii[i] <= 1f))
                        return Inconsistent($"radii[{i}] = {radii[i]} is outside [0, 1] (shell radii of unit vectors' blocks)", map["radii"]);
                }

                for (int i = 0; i < table.Length; i++)
                {
                    if (!(Math.Abs(table[i]) <= MaxCodewordEntry))
                        return Inconsistent($"table[{i}] = {table[i]} is outside [-{MaxCodewordEntry}, {MaxCodewordEntry}] (codewords lie in the unit ball)", map["table"]);
                }
            }

            return SpecFileParseResult.Ok(CodebookSpecFile.Create(className, ns, dimension, blockSize, codewords, seed, rotation, normFormat,
                samples, restarts, shells, directions, radii, table, fingerprint, distortion));
        }
        catch (FlatJsonException e)
        {
            return SpecFileParseResult.Failure(e.Message, e.Line, e.Column);
        }
    }

    private static SpecFileParseResult Fail(string message, FlatJsonValue at) => SpecFileParseResult.Failure(message, at.Line, at.Column);

    private static SpecFileParseResult Inconsistent(string message, FlatJsonValue at) =>
        SpecFileParseResult.Failure(message, at.Line, at.Column, SpecFileErrorKind.Inconsistent);

    private static FlatJsonException Error(string message, FlatJsonValue at) => new(message, at.Line, at.Column);

    private static string RequiredString(Dictionary<string, FlatJsonValue> map, string name)
    {
        if (!map.TryGetValue(name, out FlatJsonValue? value)) throw new FlatJsonException($"missing required member \"{name}\"", 1, 1);
        if (value.Kind != FlatJsonKind.String) throw Error($"\"{name}\" must be a string", value);
        return value.Text!;
    }

    private static string? OptionalString(Dictionary<string, FlatJsonValue> map, string name)
    {
        if (!map.TryGetValue(name, out FlatJsonValue? value)) return null;
        if (value.Kind != FlatJsonKind.String) throw Error($"\"{name}\" must be a string", value);
        return value.Text;
    }

    private static int Int(Dictionary<string, FlatJsonValue> map, string name, int? fallback)
    {
        if (!map.TryGetValue(name, out FlatJsonValue? value))
        {
            if (fallback is int f) return f;
            throw new FlatJsonException($"missing required member \"{name}\"", 1, 1);
        }

        if (value.Kind != FlatJsonKind.Number || !int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result))
            throw Error($"\"{name}\" must be a 32-bit integer", value);
        return result;
    }

    private static ulong UInt64(FlatJsonValue value, string name)
    {
        if (value.Kind != FlatJsonKind.Number || !ulong.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong result))
            throw Error($"\"{name}\" must be an unsigned 64-bit integer", value);
        return result;
    }

    private static double Double(FlatJsonValue value, string name)
    {
        if (value.Kind != FlatJsonKind.Number || !double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double result)
            || double.IsInfinity(result))
            throw Error($"\"{name}\" must be a finite number", value);
        return result;
    }

    private static TEnum Enum<TEnum>(Dictionary<string, FlatJsonValue> map, string name, TEnum fallback)
        where TEnum : struct
    {
        if (!map.TryGetValue(name, out FlatJsonValue? value)) return fallback;
        string[] names = System.Enum.GetNames(typeof(TEnum));
        if (value.Kind != FlatJsonKind.String || Array.IndexOf(names, value.Text) < 0)
            throw Error($"\"{name}\" must be one of \"{string.Join("\", \"", names)}\"", value);
        return (TEnum)System.Enum.Parse(typeof(TEnum), value.Text!);
    }

    private static ulong Fingerprint(FlatJsonValue value)
    {
        string? text = value.Text;
        if (value.Kind != FlatJsonKind.String || text is null || text.Length != 18 || !text.StartsWith("0x", StringComparison.Ordinal)
            || !ulong.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong result))
            throw Error("\"fingerprint\" must be a string \"0x\" followed by 16 hex digits", value);
        return result;
    }

    private static float[] Floats(FlatJsonValue value, string name)
    {
        if (value.Kind != FlatJsonKind.NumberArray) throw Error($"\"{name}\" must be an array of numbers", value);
        var result = new float[value.Numbers!.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if (!float.TryParse(value.Numbers[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float f) || float.IsInfinity(f) || float.IsNaN(f))
                throw Error($"\"{name}\"[{i}] = {value.Numbers[i]} is not a finite float", value);
            result[i] = f;
        }

        return result;
    }

    /// <summary>
    /// Largest |entry| a precomputed table may hold. Lloyd–Max centroids of blocks of unit vectors lie in the unit ball; a
    /// codeword of a cell left empty keeps its restart noise (σ = 0.1), so the bound leaves room for that and nothing
    /// more: a crafted table (its fingerprint recomputed) cannot make Decode overflow.
    /// </summary>
    private const float MaxCodewordEntry = 2f;

    private static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_')) return false;
        foreach (char c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
        }

        return true;
    }

    private static bool IsQualifiedName(string text)
    {
        foreach (string part in text.Split('.'))
        {
            if (!IsIdentifier(part)) return false;
        }

        return true;
    }
}
