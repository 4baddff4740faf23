using System;
using System.Collections.Generic;
using System.Text.Json;
using FibQuant.Llama;
using FibQuant.Server.Api;
using FibQuant.Server.Caching;
using FibQuant.Server.Sessions;

namespace FibQuant.Server.Tests;

/// <summary>
/// Expected tokens computed without the server: a <see cref="LlamaSession"/> over caches of the same settings, the
/// prompt fed and tokens drawn one after another in a single thread, never spilled.
/// </summary>
internal static class Reference
{
    private static readonly Lazy<(LlamaModel Model, LlamaTokenizer Tokenizer)> Loaded = new(() =>
    {
        LlamaModel model = LlamaModel.Load(LlamaDataPaths.Resolve("hd64.bin"));
        return (model, LlamaTokenizer.Load(LlamaDataPaths.Resolve(LlamaDataPaths.Tokenizer512), model.Config.VocabularySize));
    });

    public static LlamaModel Model => Loaded.Value.Model;

    public static LlamaTokenizer Tokenizer => Loaded.Value.Tokenizer;

    /// <summary>A single-threaded reference of a session created with <paramref name="createJson"/>.</summary>
    public static Session Start(string createJson) => new(createJson);

    /// <summary>
    /// A session's expected answers, generate request by generate request, with the server's rules: stop after
    /// max_tokens, at max_context, or when BOS is drawn (BOS then becomes the next token fed, and is not returned).
    /// </summary>
    public sealed class Session
    {
        private readonly LlamaSession _session;
        private readonly int _maxContext;
        private int _pending;

        public Session(string createJson)
        {
            CreateSessionRequest create = JsonSerializer.Deserialize(createJson, ServerJsonContext.Default.CreateSessionRequest)!;
            LlamaConfig p = Model.Config;
            SessionCacheSettings settings = SessionCacheSettings.Parse(create.Keys, create.Values, create.RecentWindow, p.HeadSize,
                p.LayerCount * p.KvHeadCount, p.SequenceLength, CodecRegistry.Shared);
            _session = Model.CreateSession(settings.Factory);
            _maxContext = create.MaxContext ?? p.SequenceLength;
            int[] prompt = Tokenizer.Encode(create.Prompt!, bos: true, eos: false);
            for (int t = 0; t < prompt.Length - 1; t++) _session.Forward(prompt[t]);
            _pending = prompt[^1];
        }

        public List<int> Generate(int maxTokens, float temperature = 0, ulong seed = 0)
        {
            var sampler = new TokenSampler(temperature, seed, Model.Config.VocabularySize);
            var tokens = new List<int>();
            while (tokens.Count < maxTokens && _session.Position < _maxContext)
            {
                _pending = sampler.Next(_session.Forward(_pending));
                if (_pending == LlamaTokenizer.Bos) break;
                tokens.Add(_pending);
            }
            return tokens;
        }
    }
}
