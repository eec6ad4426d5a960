using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.Kestrel.Connections;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthEndpoint.Owin.Host.Kestrel;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>An OWIN 1.0 server over Kestrel: serves one app on a set of URL prefixes, with Kestrel's protections on.</summary>
/// <remarks>
/// The OWIN environment, the response rules (buffered small bodies with an exact Content-Length, no body on HEAD,
/// 204 or 304, a logged empty 500 when the app fails before anything went out or sets what cannot go on the wire,
/// an aborted connection after), request isolation and the drain window are the core's, shared with the
/// HttpListener host (<c>HttpListenerOwinServer</c>). Kestrel adds what HttpListener lacks on Linux: a header timeout (for a
/// connection that sends nothing too), request-line and header limits enforced while reading, pipelining, a minimum
/// body data rate, and a connection cap below the open-file limit. A client's bad request body is answered as plain
/// Kestrel answers it (413, 408, 400). HTTP/1.x only.
/// Every request carries <c>host.OnAppDisposing</c>, cancelled when a graceful stop begins: the health endpoint
/// reads its start and its drain window from it, with nothing wired by the app.
/// </remarks>
public sealed class KestrelOwinServer : IAsyncDisposable
{
    private static readonly TimeSpan MinimumDataRateGracePeriod = TimeSpan.FromSeconds(5);

    private readonly KestrelOwinServerOptions _options;
    private readonly ILogger _logger;
    private readonly OwinApplication _application;
    private readonly KestrelServer _server;
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _appDisposing = new();
    private int _started;
    private int _stopRequested;

    /// <summary>Creates a server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="app">The app to serve.</param>
    /// <param name="options">Prefixes, limits and the stop behaviour.</param>
    /// <exception cref="ArgumentException">No prefix, a prefix Kestrel cannot bind, or a limit out of range.</exception>
    public KestrelOwinServer(AppFunc app, KestrelOwinServerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (ServerOptionsCheck.SharedProblem(options.Prefixes, options.ResponseBufferSize, options.DrainDelay, options.ShutdownTimeout, options.Logger) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        Validate(options);
        _logger = options.Logger;
        OpenFileLimit = Hosting.Core.OpenFileLimit.Read();
        MaxConcurrentConnections = options.MaxConcurrentConnections
            ?? Hosting.Core.OpenFileLimit.ConnectionCap(OpenFileLimit, Hosting.Core.OpenFileLimit.CountOpen() ?? 0);
        _application = new OwinApplication(new CallRunner(app, _logger), new PrefixTable(options.Prefixes), options.ResponseBufferSize, _appDisposing.Token);

        var kestrel = CreateKestrelOptions(options, MaxConcurrentConnections);
        var loggerFactory = new ForwardingLoggerFactory(_logger);
        IConnectionListenerFactory transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        if (MaxConcurrentConnections is long cap)
        {
            // Kestrel's cap alone lets a flood run its accept loop ahead of the rejections (Connections/).
            transport = new BoundedListenerFactory(transport, cap);
        }

        _server = new KestrelServer(Options.Create(kestrel), transport, loggerFactory);
    }

    /// <summary>The prefixes the server listens on.</summary>
    public IReadOnlyCollection<string> Prefixes => (IReadOnlyCollection<string>)_options.Prefixes;

    /// <summary>
    /// The connection cap in force: <see cref="KestrelOwinServerOptions.MaxConcurrentConnections"/> when set, else the
    /// process's open-file limit less the descriptors open when the server was created and a reserve of an eighth of
    /// the limit (at least 256), never below 16; null where there is no such limit (Windows).
    /// </summary>
    public long? MaxConcurrentConnections { get; }

    /// <summary>The process's soft open-file limit (RLIMIT_NOFILE) when the server was created; null on Windows.</summary>
    public long? OpenFileLimit { get; }

    /// <summary>Starts listening and accepting requests, logs "Now listening on: ..." and calls <see cref="KestrelOwinServerOptions.OnStarted"/>.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes once every prefix is bound.</returns>
    /// <exception cref="IOException">An address could not be bound (in use, or not permitted).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The server was already started.");
        }

        await _server.StartAsync(_application, cancellationToken).ConfigureAwait(false);
        HostLog.Listening(_logger, _options.Prefixes);
        _options.OnStarted?.Invoke();
    }

    /// <summary>
    /// Cancels <c>host.OnAppDisposing</c>, calls <see cref="KestrelOwinServerOptions.OnDraining"/> and keeps serving for <see cref="KestrelOwinServerOptions.DrainDelay"/>;
    /// then stops accepting (connects are refused), lets in-flight requests finish and closes idle connections; after
    /// <see cref="KestrelOwinServerOptions.ShutdownTimeout"/> the remaining connections are aborted, which cancels their
    /// <c>owin.CallCancelled</c>.
    /// </summary>
    /// <returns>A task that completes when every connection is closed.</returns>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 1)
        {
            await _stopped.Task.ConfigureAwait(false);
            return;
        }

        try
        {
            if (Volatile.Read(ref _started) == 1)
            {
                await DrainWindow.OpenAsync(_appDisposing, _options.OnDraining, _options.DrainDelay, _logger).ConfigureAwait(false);
            }

            using var timeout = new CancellationTokenSource(_options.ShutdownTimeout);
            using var onTimeout = timeout.Token.Register(LogStopTimedOut);
            await _server.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _stopped.TrySetResult(true);
        }
    }

    /// <summary>Stops the server gracefully, as <see cref="StopAsync"/> does, and releases Kestrel.</summary>
    /// <returns>A task that completes when the server is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _server.Dispose();
        _appDisposing.Dispose();
    }

    private static void Validate(KestrelOwinServerOptions options)
    {
        if (options.MaxConcurrentConnections is < 1 || options.MaxRequestLineSize < 1 || options.MaxRequestHeadersTotalSize < 1
            || options.MaxRequestHeaderCount < 1 || options.MaxRequestBodySize is < 0)
        {
            throw new ArgumentException("MaxConcurrentConnections, MaxRequestLineSize, MaxRequestHeadersTotalSize and MaxRequestHeaderCount must be positive; MaxRequestBodySize not negative.", nameof(options));
        }

        if (options.RequestHeadersTimeout <= TimeSpan.Zero || options.KeepAliveTimeout <= TimeSpan.Zero || !(options.MinRequestBodyDataRate >= 0))
        {
            throw new ArgumentException("RequestHeadersTimeout and KeepAliveTimeout must be positive; MinRequestBodyDataRate not negative.", nameof(options));
        }

        foreach (var prefix in options.Prefixes)
        {
            BindAddress.Parse(prefix);
        }
    }

    private static KestrelServerOptions CreateKestrelOptions(KestrelOwinServerOptions options, long? maxConnections)
    {
        // Server header off: a response reveals nothing about the software behind it.
        // Synchronous I/O on: OWIN apps written for Katana read and write the body streams synchronously.
        var kestrel = new KestrelServerOptions { AddServerHeader = false, AllowSynchronousIO = true };
        var limits = kestrel.Limits;
        limits.MaxConcurrentConnections = maxConnections;
        limits.MaxConcurrentUpgradedConnections = maxConnections;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = options.KeepAliveTimeout;
        limits.MaxRequestLineSize = options.MaxRequestLineSize;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
        limits.MaxRequestBodySize = options.MaxRequestBodySize;
        limits.MinRequestBodyDataRate = options.MinRequestBodyDataRate > 0
            ? new MinDataRate(options.MinRequestBodyDataRate, MinimumDataRateGracePeriod)
            : null;

        var bound = new HashSet<BindAddress>();
        foreach (var prefix in options.Prefixes)
        {
            var listen = BindAddress.Parse(prefix);
            if (!bound.Add(listen))
            {
                continue; // Two paths on one address and port: one socket serves both path bases.
            }

            var configure = Http1After(FirstBytesTimeout.Middleware(options.RequestHeadersTimeout));
            if (listen.Localhost)
            {
                kestrel.ListenLocalhost(listen.Port, configure);
            }
            else
            {
                kestrel.Listen(listen.Address ?? IPAddress.IPv6Any, listen.Port, configure);
            }
        }

        return kestrel;
    }

    // HTTP/1.x only, behind a middleware that sees the connection first.
    private static Action<ListenOptions> Http1After(Func<ConnectionDelegate, ConnectionDelegate> middleware) => listen =>
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(middleware);
    };

    private void LogStopTimedOut()
    {
        var inFlight = _application.InFlight;
        if (inFlight > 0)
        {
            HostLog.StopTimedOut(_logger, inFlight);
        }
    }
}
