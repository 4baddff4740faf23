using System;
using System.Globalization;
using System.IO;
using Microsoft.Extensions.Configuration;

namespace FibQuant.Server.Hosting;

/// <summary>
/// The server's settings, read from the command line (<c>--model PATH --budget-bytes N ...</c>). Every value is checked
/// at startup, so a bad setting stops the server with a message naming the option and its allowed range.
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>Default model file in the data folder: the head_dim-64 llama2.c checkpoint.</summary>
    public const string DefaultModel = "hd64.bin";

    /// <summary>Checkpoint path given with --model, or null for <see cref="DefaultModel"/> in the data folder.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Tokenizer path given with --tokenizer, or null for tok512.bin in the data folder.</summary>
    public string? TokenizerPath { get; init; }

    /// <summary>Loopback port to listen on (0: any free port).</summary>
    public int Port { get; init; } = 5080;

    /// <summary>Bytes of KV cache all resident sessions together may reserve.</summary>
    public long BudgetBytes { get; init; } = 64L << 20;

    /// <summary>Whether idle sessions may be written to disk to free their memory.</summary>
    public bool SpillEnabled { get; init; } = true;

    /// <summary>Folder for spilled caches; a fresh folder under the temp path by default.</summary>
    public string SpillDirectory { get; init; } = DefaultSpillDirectory();

    /// <summary>Idle time after which a session is spilled even without memory pressure (zero: only under pressure).</summary>
    public TimeSpan SpillAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seconds a 429 answer asks the client to wait.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Reads and checks the options.</summary>
    /// <exception cref="ArgumentException">An option is malformed or out of range; the message names it.</exception>
    public static ServerOptions From(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ServerOptions
        {
            ModelPath = NonEmpty(config["model"]),
            TokenizerPath = NonEmpty(config["tokenizer"]),
            Port = (int)Integer(config, "port", 5080, 0, 65535),
            BudgetBytes = Integer(config, "budget-bytes", 64L << 20, 1, long.MaxValue),
            SpillEnabled = Switch(config, "spill", true),
            SpillDirectory = NonEmpty(config["spill-dir"]) is { } dir ? Path.GetFullPath(dir) : DefaultSpillDirectory(),
            SpillAfter = TimeSpan.FromSeconds(Integer(config, "spill-after-seconds", 60, 0, 86_400)),
            RetryAfterSeconds = (int)Integer(config, "retry-after-seconds", 1, 1, 3600),
        };
    }

    private static string DefaultSpillDirectory() =>
        Path.Combine(Path.GetTempPath(), "fibquant-server-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static long Integer(IConfiguration config, string name, long fallback, long min, long max)
    {
        string? text = config[name];
        if (text is null) return fallback;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
            throw new ArgumentException($"--{name} must be an integer in [{min}, {max}], got '{text}'.", name);
        return value;
    }

    private static bool Switch(IConfiguration config, string name, bool fallback)
    {
        string? text = config[name];
        if (text is null) return fallback;
        return text.ToLowerInvariant() switch
        {
            "on" or "true" or "1" => true,
            "off" or "false" or "0" => false,
            _ => throw new ArgumentException($"--{name} must be on or off, got '{text}'.", name),
        };
    }
}
