using System;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The bounds the core's body stream enforces for a transport that has none of its own (HttpListener): the largest
/// body, the slowest upload, and how much of an unread body is drained after the response. Kestrel enforces its own
/// and passes <see cref="None"/>.
/// </summary>
/// <param name="MaxBodySize">The largest body accepted (413 past it); null: unlimited.</param>
/// <param name="MinDataRate">Bytes per second a body must arrive at, after <see cref="GracePeriod"/> of waiting (408 below it); 0: no check.</param>
/// <param name="DrainUnread">Whether a body the app left unread is read (up to <paramref name="MaxBodySize"/>, for at most <see cref="DrainTimeout"/>) before the connection closes.</param>
internal readonly record struct RequestBodyLimits(long? MaxBodySize, double MinDataRate, bool DrainUnread)
{
    /// <summary>How long the host waits on a body before the data rate is checked: Kestrel's grace period.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>How long draining an unread body may take: Kestrel's request body drain timeout.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the drain waits for the next bytes before it gives up, as HttpListener's own drain of a kept-alive
    /// connection does: a client that sent part of its body and waits for the answer gets it after this, not after
    /// <see cref="DrainTimeout"/> (an empty answer leaves HttpListener only when the connection closes).
    /// </summary>
    public static readonly TimeSpan DrainIdleTimeout = TimeSpan.FromSeconds(1);

    /// <summary>No bounds: the transport enforces its own.</summary>
    public static RequestBodyLimits None => default;
}
