using System;
using System.Collections.Generic;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>Settings for <see cref="HttpListenerOwinServer"/>: where it listens, how it stops, where it logs, and its request bound.</summary>
/// <remarks>
/// Prefixes are HttpListener's: <c>http://0.0.0.0:port/</c> is served as <c>http://+:port/</c> (every IPv4 address);
/// IPv6 literals are refused on Linux and macOS.
/// </remarks>
public sealed class HttpListenerOwinServerOptions
{
    /// <summary>
    /// The URL prefixes to listen on, each ending in <c>/</c>, for example <c>http://127.0.0.1:5080/</c>. The path
    /// of a prefix becomes <c>owin.RequestPathBase</c>; a request whose path lies under no prefix of the port it
    /// came in on is answered 404 by the host.
    /// </summary>
    public IList<string> Prefixes { get; } = new List<string>();

    /// <summary>
    /// How long a graceful stop keeps serving, after <see cref="OnDraining"/>, before it stops accepting requests.
    /// Default zero.
    /// </summary>
    /// <remarks>
    /// Load balancers and Kubernetes notice a failing readiness probe only at their next probe; serving through
    /// the delay lets them move traffic away before connections are refused. Set it above the probe interval.
    /// </remarks>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Called once, when the server has started listening.</summary>
    /// <remarks>
    /// The health endpoint does not need it: it learns of the start from <c>host.OnAppDisposing</c> in the requests.
    /// It is for other code that wants to know.
    /// </remarks>
    public Action? OnStarted { get; set; }

    /// <summary>Called once, when a graceful stop begins, before <see cref="DrainDelay"/>, after <c>host.OnAppDisposing</c> is cancelled.</summary>
    /// <remarks>The health endpoint does not need it; it reads the cancelled <c>host.OnAppDisposing</c>.</remarks>
    public Action? OnDraining { get; set; }

    /// <summary>How long a graceful stop waits for in-flight requests before cancelling them. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Responses up to this size get an exact Content-Length; larger ones are streamed. Default 64 KiB.</summary>
    public int ResponseBufferSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Where app failures, clients' bad request bodies (information level) and server errors are logged; the
    /// Kestrel host adds Kestrel's own messages from warning level up. Default: nowhere.
    /// </summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>
    /// At most this many requests run at once; further ones wait to be accepted. Default: derived from the
    /// open-file limit by the Kestrel host's rule for its connection cap (the limit less the descriptors already
    /// open less a reserve of an eighth of it, at least 256: about 620 for 1,024); 1,024 where there is no such
    /// limit (Windows).
    /// </summary>
    /// <remarks>
    /// Health requests count here too, so keep this above the app's own bound
    /// (<c>AppConcurrencyLimitMiddleware</c>, composed inside the health endpoint): then requests stuck in the app
    /// can never take every slot, and ping and status are still accepted.
    /// </remarks>
    public int MaxConcurrentRequests { get; set; } = OpenFileLimit.RequestCap(OpenFileLimit.Read(), OpenFileLimit.CountOpen() ?? 0);

    /// <summary>
    /// The largest request body accepted, as the Kestrel host's option of the same name: a declared length past it is
    /// answered 413 before the app runs, a chunked body when it passes it; logged at Information. Null means
    /// unlimited. Default 30,000,000 bytes (Kestrel's).
    /// </summary>
    /// <remarks>
    /// It also bounds what the host reads of a body the app left unread before it closes the connection (at most
    /// 5 s): a client still sending when the socket closes would get a reset that destroys the response.
    /// </remarks>
    public long? MaxRequestBodySize { get; set; } = 30_000_000;

    /// <summary>
    /// A request body that arrives slower than this, after 5 s of waiting for it, is cut off: 408 (or a closed
    /// connection once the response started), logged at Information. Zero turns the check off. Default 240 bytes per
    /// second (Kestrel's). HttpListener itself has no such bound: a client trickling its body holds the request forever.
    /// </summary>
    public double MinRequestBodyDataRate { get; set; } = 240;
}
