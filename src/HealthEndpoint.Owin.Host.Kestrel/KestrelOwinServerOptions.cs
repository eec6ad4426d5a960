using System;
using System.Collections.Generic;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthEndpoint.Owin.Host.Kestrel;

/// <summary>Settings for <see cref="KestrelOwinServer"/>: where it listens, its limits, and how it stops.</summary>
/// <remarks>
/// The defaults are Kestrel's own protections made explicit, plus two it leaves off: a header timeout of 10 s
/// (HAProxy's usual <c>timeout http-request</c>) instead of 30 s, and a connection cap derived from the process's
/// open-file limit, so that a flood of connections is turned away instead of exhausting file descriptors and
/// aborting the process. There is no bound on concurrent requests: a bound that the app's own requests could fill
/// would turn health probes away too; bound the app inside the pipeline instead, below <see cref="MaxConcurrentConnections"/>.
/// Prefixes: <c>http://127.0.0.1:8080/</c>, <c>http://[::1]:8080/</c>, <c>http://0.0.0.0:8080/</c> (all IPv4),
/// <c>http://+:8080/</c> or <c>http://*:8080/</c> (all addresses), <c>http://localhost:8080/</c> (loopback, IPv4 and
/// IPv6). Other host names are refused: Kestrel cannot filter by host name, and binding every interface for a name
/// would expose more than the prefix says.
/// </remarks>
public sealed class KestrelOwinServerOptions
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

    /// <summary>Default for <see cref="RequestHeadersTimeout"/>.</summary>
    internal static readonly TimeSpan DefaultRequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// At most this many connections are served at once; further ones are accepted and closed at once, and while 32
    /// more wait to be closed, new ones wait in the kernel's backlog (so a flood cannot outrun the cap). Null (the
    /// default) derives it from the process's open-file limit, less the descriptors already open and a reserve (see
    /// <see cref="KestrelOwinServer.MaxConcurrentConnections"/>). Keep the app's own concurrency bound below it.
    /// </summary>
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>How long a client may take to send the request line and headers. Default 10 seconds.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = DefaultRequestHeadersTimeout;

    /// <summary>How long an idle kept-alive connection stays open. Default 130 seconds (Kestrel's).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>The longest request line (method, target, version) accepted; longer ones get 414. Default 8 KiB.</summary>
    public int MaxRequestLineSize { get; set; } = 8 * 1024;

    /// <summary>The largest request header block accepted; larger ones get 431. Default 32 KiB.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>The most request headers accepted; more get 431. Default 100.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>The largest request body accepted; larger ones get 413. Null means unlimited. Default 30,000,000 bytes.</summary>
    public long? MaxRequestBodySize { get; set; } = 30_000_000;

    /// <summary>
    /// A request body that arrives slower than this, after a 5 s grace period, is cut off (408 if the response has
    /// not started). Zero turns the check off. Default 240 bytes per second (Kestrel's).
    /// </summary>
    public double MinRequestBodyDataRate { get; set; } = 240;
}
