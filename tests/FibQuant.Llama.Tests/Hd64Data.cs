using System;

namespace FibQuant.Llama.Tests;

/// <summary>The hd64 model (head_dim 64) and its tokenizer, loaded once from the data folder in place.</summary>
internal static class Hd64Data
{
    private static readonly Lazy<LlamaModel> LazyModel = new(() => LlamaModel.Load(LlamaDataPaths.Resolve(LlamaDataPaths.Hd64)));
    private static readonly Lazy<LlamaTokenizer> LazyTokenizer =
        new(() => LlamaTokenizer.Load(LlamaDataPaths.Resolve(LlamaDataPaths.Tokenizer512), Model.Config.VocabularySize));

    public static LlamaModel Model => LazyModel.Value;

    public static LlamaTokenizer Tokenizer => LazyTokenizer.Value;
}
