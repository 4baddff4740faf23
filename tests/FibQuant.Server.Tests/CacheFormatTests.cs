using System;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using FibQuant.Attention;
using FibQuant.Coding;
using FibQuant.Server.Api;
using FibQuant.Server.Caching;

namespace FibQuant.Server.Tests;

public sealed class CacheFormatTests
{
    private const int D = 64, Layers = 5, MaxContext = 40;

    public static TheoryData<string, string> Pairs()
    {
        string[] formats = [Prompts.Fp32, Prompts.Fp16, Prompts.TurboQuant2, Prompts.FibQuant2];
        var pairs = new TheoryData<string, string>();
        foreach (string keys in formats)
            foreach (string values in formats)
                pairs.Add(keys, values);
        return pairs;
    }

    /// <summary>
    /// Keys and values take their formats independently: each of the 16 pairs of fp32, fp16, TurboQuant b = 2 and
    /// FibQuant b = 2 (with a 3-token window where a stream is quantized) is admitted, generates its single-threaded
    /// reference's tokens, and reports and reserves exactly its two streams' bytes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Every_pair_of_key_and_value_formats_is_served_with_its_own_bytes(string keys, string values)
    {
        await using RunningServer server = await RunningServer.StartAsync();
        int quantizedStreams = (keys.Contains("quant") ? 1 : 0) + (values.Contains("quant") ? 1 : 0);
        int window = quantizedStreams > 0 ? 3 : 0;
        string create = Prompts.Create("Once upon a time", keys, values, window, MaxContext);
        string id = await server.CreateAsync(create);

        RunningServer.Generation run = await server.GenerateAsync(id, Prompts.Generate(6));
        Assert.Equal(HttpStatusCode.OK, run.Status);
        Assert.Equal(Reference.Start(create).Generate(6), run.Tokens);

        JsonElement info = await server.GetJsonAsync($"/sessions/{id}");
        int position = info.GetProperty("position").GetInt32();
        long perToken = StreamBytes(keys, "keys") + StreamBytes(values, "values"), windowBytes = quantizedStreams * D * sizeof(float);
        Assert.Equal(Layers * (position * perToken + Math.Min(position, window) * windowBytes), info.GetProperty("cache_bytes").GetInt64());
        Assert.Equal(Layers * (MaxContext * perToken + window * windowBytes), info.GetProperty("reserved_bytes").GetInt64());
        string label = info.GetProperty("cache").GetString()!;
        if (keys == values && quantizedStreams == 0) Assert.Equal(keys.Contains("fp16") ? "fp16" : "fp32", label);
        else Assert.StartsWith("K ", label);
    }

    /// <summary>
    /// Bytes per token of one stream: 4·d for fp32, 2·d for fp16, and for a codebook what one stream of a
    /// <see cref="CompressedKvCache{TCodec}"/> holds (measured on a one-token cache, so it follows the cache's layout).
    /// </summary>
    private static long StreamBytes(string codecJson, string stream)
    {
        CodecRequest request = JsonSerializer.Deserialize($$"""{"prompt":"","keys":{{codecJson}}}""", ServerJsonContext.Default.CreateSessionRequest)!.Keys!;
        StreamFormat format = StreamFormat.Parse(request, D, stream);
        if (format.Kind == CacheStorageKind.Float32) return D * 4;
        if (format.Kind == CacheStorageKind.Float16) return D * 2;
        FibQuantizer codec = CodecRegistry.Shared.Get(format.Spec!);
        var probe = new CompressedKvCache<FibQuantizer>(codec, codec);
        float[] unit = new float[D];
        unit[0] = 1;
        probe.Append(unit, unit);
        return probe.BytesUsed / 2;
    }
}
