using System;

namespace FibQuant.Server.Api;

/// <summary>A request the server refuses with a 4xx status and a message that says what to change.</summary>
internal sealed class RequestException : Exception
{
    private RequestException(int status, string message, int? retryAfterSeconds = null) : base(message)
    {
        Status = status;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>HTTP status code (4xx).</summary>
    public int Status { get; }

    /// <summary>Seconds for the Retry-After header of a 429, else null.</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>400: the request is malformed or a value is out of range.</summary>
    public static RequestException BadRequest(string message) => new(400, message);

    /// <summary>404: no session with that id.</summary>
    public static RequestException NotFound(string id) => new(404, $"No session '{id}'.");

    /// <summary>409: the session is serving another request.</summary>
    public static RequestException Busy(string id) =>
        new(409, $"Session '{id}' is serving another request; a session runs one request at a time.");

    /// <summary>429: the memory budget cannot hold the request now.</summary>
    public static RequestException OverBudget(string message, int retryAfterSeconds) => new(429, message, retryAfterSeconds);
}
