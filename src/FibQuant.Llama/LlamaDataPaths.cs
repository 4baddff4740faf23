using System;
using System.IO;

namespace FibQuant.Llama;

/// <summary>
/// Locates the third-party data files (checkpoint, tokenizer, texts), which are read in place and never copied
/// into the repository: the folder named by the <c>FIBQUANT_DATA</c> environment variable when set, otherwise
/// <c>../shared/data</c> beside the repository root (the folder holding <c>FibQuant.Generators.sln</c>), found by
/// walking up from <see cref="AppContext.BaseDirectory"/> and then from the current directory.
/// </summary>
public static class LlamaDataPaths
{
    /// <summary>Name of the environment variable that overrides the data folder.</summary>
    public const string EnvironmentVariable = "FIBQUANT_DATA";

    /// <summary>File that marks the repository root.</summary>
    public const string RepositoryMarker = "FibQuant.Generators.sln";

    /// <summary>Default checkpoint file name.</summary>
    public const string Stories260K = "stories260K.bin";

    /// <summary>Default tokenizer file name.</summary>
    public const string Tokenizer512 = "tok512.bin";

    /// <summary>File name of the head_dim 64 model (legacy llama2.c format, tok512.bin tokenizer, protocol text held out).</summary>
    public const string Hd64 = "hd64.bin";

    /// <summary>The data folder (it need not exist).</summary>
    /// <exception cref="DirectoryNotFoundException">No override is set and no repository root was found.</exception>
    public static string DataDirectory()
    {
        string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        string? root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (root is null)
            throw new DirectoryNotFoundException(
                $"No {RepositoryMarker} found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}; " +
                $"set {EnvironmentVariable} to the data folder.");
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
    }

    /// <summary>Full path of <paramref name="fileName"/> in the data folder.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names the full path looked for.</exception>
    public static string Resolve(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        string full = Path.Combine(DataDirectory(), fileName);
        if (!File.Exists(full))
            throw new FileNotFoundException(
                $"Data file not found: {full} (set {EnvironmentVariable} to the folder holding {fileName}).", full);
        return full;
    }

    /// <summary>The closest folder at or above <paramref name="start"/> that contains <see cref="RepositoryMarker"/>, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, RepositoryMarker))) return dir.FullName;
        }
        return null;
    }
}
