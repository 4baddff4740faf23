namespace FibQuant.Server.Tests;

/// <summary>Request bodies the tests share.</summary>
internal static class Prompts
{
    public const string FibQuant2 = """{"codec":"fibquant","k":2,"n":16}""";
    public const string FibQuant1 = """{"codec":"fibquant","k":4,"n":16}""";
    public const string TurboQuant2 = """{"codec":"turboquant","bits":2}""";
    public const string Fp16 = """{"codec":"fp16"}""";
    public const string Fp32 = """{"codec":"fp32"}""";

    public static string Create(string prompt, string keys, string values, int recentWindow = 0, int? maxContext = null) =>
        $$"""{"prompt":"{{prompt}}","keys":{{keys}},"values":{{values}},"recent_window":{{recentWindow}}{{(maxContext is int m ? $",\"max_context\":{m}" : "")}}}""";

    public static string Generate(int maxTokens, float temperature = 0, ulong seed = 0) =>
        $$"""{"max_tokens":{{maxTokens}},"temperature":{{temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"seed":{{seed}}}""";
}
