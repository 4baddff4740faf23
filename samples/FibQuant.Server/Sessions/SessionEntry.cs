namespace FibQuant.Server.Sessions;

/// <summary>What a request found at a session's gate.</summary>
internal enum SessionEntry
{
    /// <summary>The request holds the gate and may use the session.</summary>
    Entered,

    /// <summary>Another request holds the gate (409).</summary>
    Busy,

    /// <summary>The session was deleted while the request was on its way (404).</summary>
    Removed,
}
