using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace FibQuant.Server.Api;

/// <summary>Reads request bodies and writes answers with the source-generated serializers.</summary>
internal static class HttpJson
{
    /// <summary>The request body as <typeparamref name="T"/>.</summary>
    /// <exception cref="RequestException">400: the body is empty, not JSON, or does not match the request's shape.</exception>
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo) where T : class
    {
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw RequestException.BadRequest($"Malformed JSON body: {e.Message}");
        }
        return value ?? throw RequestException.BadRequest("The body must be a JSON object, not null.");
    }

    /// <summary>Writes <paramref name="value"/> as the JSON answer with <paramref name="status"/>.</summary>
    public static Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }
}
