using System;
using System.IO;
using FibQuant.Llama;

namespace FibQuant.Server.Hosting;

/// <summary>The model and tokenizer every session shares; both are immutable after loading.</summary>
internal sealed class ModelHost
{
    private ModelHost(string modelPath, LlamaModel model, LlamaTokenizer tokenizer)
    {
        ModelPath = modelPath;
        Model = model;
        Tokenizer = tokenizer;
    }

    /// <summary>Full path of the loaded checkpoint.</summary>
    public string ModelPath { get; }

    /// <summary>The model (shared read-only by all sessions).</summary>
    public LlamaModel Model { get; }

    /// <summary>The model's tokenizer.</summary>
    public LlamaTokenizer Tokenizer { get; }

    /// <summary>Tokens the model can attend over: the longest context of any session.</summary>
    public int SequenceLength => Model.Config.SequenceLength;

    /// <summary>Loads the checkpoint and tokenizer named by <paramref name="options"/> (or the defaults in the data folder).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist; the message names the full path looked for.</exception>
    public static ModelHost Load(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string modelPath = Existing(options.ModelPath, ServerOptions.DefaultModel, "model");
        string tokenizerPath = Existing(options.TokenizerPath, LlamaDataPaths.Tokenizer512, "tokenizer");
        LlamaModel model = LlamaModel.Load(modelPath);
        var tokenizer = LlamaTokenizer.Load(tokenizerPath, model.Config.VocabularySize);
        return new ModelHost(modelPath, model, tokenizer);
    }

    private static string Existing(string? given, string defaultName, string what)
    {
        if (given is null) return LlamaDataPaths.Resolve(defaultName);
        string full = Path.GetFullPath(given);
        if (!File.Exists(full)) throw new FileNotFoundException($"The {what} file was not found: {full}", full);
        return full;
    }
}
