using System;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace FibQuant.Server.Api;

/// <summary>
/// Writes server-sent events (<c>event: NAME</c>, <c>data: JSON</c>, blank line) straight into the response pipe, one
/// JSON writer reused for the whole stream, and flushes after each event so every token leaves as soon as it exists.
/// </summary>
internal sealed class ServerSentEventWriter : IDisposable
{
    private static ReadOnlySpan<byte> EventPrefix => "event: "u8;
    private static ReadOnlySpan<byte> DataPrefix => "\ndata: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    /// <summary>A writer into <paramref name="pipe"/>.</summary>
    public ServerSentEventWriter(PipeWriter pipe)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe);
    }

    /// <summary>Writes one event named <paramref name="name"/> (ASCII) whose data is <paramref name="value"/> as JSON, and flushes.</summary>
    public async ValueTask WriteAsync<T>(string name, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellation)
    {
        Write(EventPrefix);
        Span<byte> nameBytes = _pipe.GetSpan(name.Length);
        for (int i = 0; i < name.Length; i++) nameBytes[i] = (byte)name[i];
        _pipe.Advance(name.Length);
        Write(DataPrefix);
        _json.Reset(_pipe);
        JsonSerializer.Serialize(_json, value, typeInfo);
        _json.Flush();
        Write(EventEnd);
        FlushResult result = await _pipe.FlushAsync(cancellation).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted) throw new OperationCanceledException("The client closed the event stream.");
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();

    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_pipe.GetSpan(bytes.Length));
        _pipe.Advance(bytes.Length);
    }
}
