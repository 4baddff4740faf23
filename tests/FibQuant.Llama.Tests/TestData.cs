using System;
using System.IO;
using FibQuant.Llama;

namespace FibQuant.Llama.Tests;

/// <summary>The shared stories260K model and tokenizer, loaded once from the data folder in place.</summary>
internal static class TestData
{
    private static readonly Lazy<LlamaModel> LazyModel = new(() => LlamaModel.Load(LlamaDataPaths.Resolve(LlamaDataPaths.Stories260K)));
    private static readonly Lazy<LlamaTokenizer> LazyTokenizer =
        new(() => LlamaTokenizer.Load(LlamaDataPaths.Resolve(LlamaDataPaths.Tokenizer512), Model.Config.VocabularySize));

    public static LlamaModel Model => LazyModel.Value;

    public static LlamaTokenizer Tokenizer => LazyTokenizer.Value;

    /// <summary>A fresh temporary directory outside the repository.</summary>
    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "fibquant-llama-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
