using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Host.HttpListener;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>An OWIN 1.0 server over <see cref="System.Net.HttpListener"/>: serves one app on a set of prefixes.</summary>
/// <remarks>
/// Headers go out with the first body bytes sent (past the response buffer, or on a flush), or when the app's
/// task ends; HEAD never puts a body on the wire. An exception before anything went out becomes a logged 500
/// with an empty body; after, the connection is reset. A request body is bounded by
/// <see cref="HttpListenerOwinServerOptions.MaxRequestBodySize"/> (413) and <see cref="HttpListenerOwinServerOptions.MinRequestBodyDataRate"/>
/// (408), and what the app leaves of it is read before the connection closes, so the client's answer is not lost
/// to a reset. <c>owin.CallCancelled</c> fires when the client leaves or a write to it fails. At most <see cref="HttpListenerOwinServerOptions.MaxConcurrentRequests"/>
/// requests run at once. <see cref="StopAsync"/> lets in-flight requests finish, then closes the listener.
/// Every request carries <c>host.OnAppDisposing</c>, cancelled when a graceful stop begins: the health endpoint
/// reads its start and its drain window from it, with nothing wired by the app.
/// </remarks>
public sealed class HttpListenerOwinServer : IAsyncDisposable
{
    private readonly CallRunner _runner;
    private readonly HttpListenerOwinServerOptions _options;
    private readonly ILogger _logger;
    private const int StartAttempts = 5;
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    // Accept loops waiting for requests: one per processor, at least two, so that one loop busy handing a request on
    // never leaves the listener without a waiting accept. MaxConcurrentRequests, not this, bounds the work.
    private static readonly int AcceptLoopCount = Math.Max(2, Environment.ProcessorCount);

    private System.Net.HttpListener _listener;
    private readonly PrefixTable _prefixes;
    private readonly RequestBodyLimits _bodyLimits;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _callsCancelled = new();
    private readonly CancellationTokenSource _appDisposing = new();
    private readonly object _appDisposingToken;
    private readonly TaskCompletionSource<bool> _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Task> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long? _openFileLimit = OpenFileLimit.Read();
    private HostWatch? _watch;
    private Task[] _acceptLoops = [];
    private int _inFlight;
    private int _stopRequested;

    /// <summary>Creates a server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="app">The app to serve.</param>
    /// <param name="options">Prefixes and limits.</param>
    public HttpListenerOwinServer(AppFunc app, HttpListenerOwinServerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (ServerOptionsCheck.SharedProblem(options.Prefixes, options.ResponseBufferSize, options.DrainDelay, options.ShutdownTimeout, options.Logger) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        if (options.MaxConcurrentRequests < 1)
        {
            throw new ArgumentException("MaxConcurrentRequests must be positive.", nameof(options));
        }

        if (options.MaxRequestBodySize is < 0 || !(options.MinRequestBodyDataRate >= 0))
        {
            throw new ArgumentException("MaxRequestBodySize and MinRequestBodyDataRate must not be negative.", nameof(options));
        }

        _logger = options.Logger;
        _runner = new CallRunner(app, _logger);
        foreach (var prefix in options.Prefixes)
        {
            PrefixRewrite.Map(prefix);
        }

        _prefixes = new PrefixTable(options.Prefixes);
        _bodyLimits = new RequestBodyLimits(options.MaxRequestBodySize, options.MinRequestBodyDataRate, DrainUnread: true);
        _slots = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        _listener = CreateListener(options);

        // Boxed once: every request's environment shares this object, so the key costs no allocation per request.
        _appDisposingToken = _appDisposing.Token;
    }

    /// <summary>The prefixes the server listens on.</summary>
    public IReadOnlyCollection<string> Prefixes => (IReadOnlyCollection<string>)_options.Prefixes;

    /// <summary>Starts listening and accepting requests, logs "Now listening on: ..." and calls <see cref="HttpListenerOwinServerOptions.OnStarted"/>.</summary>
    /// <param name="cancellationToken">Cancels the start before it binds.</param>
    /// <returns>A task that completes once every prefix is bound (HttpListener binds synchronously).</returns>
    /// <exception cref="HttpListenerException">A prefix could not be bound (in use, or not permitted).</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StartListener();
        _acceptLoops = new Task[AcceptLoopCount];
        for (var i = 0; i < _acceptLoops.Length; i++)
        {
            _acceptLoops[i] = Task.Run(AcceptLoopAsync, CancellationToken.None);
        }

        _watch = new HostWatch(_logger, () => _slots.CurrentCount, _options.MaxConcurrentRequests, _openFileLimit);

        HostLog.Listening(_logger, _options.Prefixes);
        _options.OnStarted?.Invoke();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Cancels <c>host.OnAppDisposing</c>, calls <see cref="HttpListenerOwinServerOptions.OnDraining"/> and keeps serving for <see cref="HttpListenerOwinServerOptions.DrainDelay"/>;
    /// then stops accepting requests, waits up to <see cref="HttpListenerOwinServerOptions.ShutdownTimeout"/> for in-flight ones
    /// (then cancels <c>owin.CallCancelled</c>), and closes the listener, after which connections are refused.
    /// </summary>
    /// <returns>A task that completes when the listener is closed.</returns>
    public Task StopAsync()
    {
        // One stop: a later caller (DisposeAsync during a stop) gets a task that completes after the first caller's,
        // once the listener is closed, not when the requests have drained.
        if (Interlocked.Exchange(ref _stopRequested, 1) == 1)
        {
            return _stop.Task.Unwrap();
        }

        var stop = StopOnceAsync();
        _stop.TrySetResult(stop);
        return stop;
    }

    private async Task StopOnceAsync()
    {
        await DrainWindow.OpenAsync(_appDisposing, _options.OnDraining, _options.DrainDelay, _logger).ConfigureAwait(false);
        _stopping.Cancel();
        if (Interlocked.CompareExchange(ref _inFlight, 0, 0) == 0)
        {
            _drained.TrySetResult(true);
        }

        var drained = await Task.WhenAny(_drained.Task, Task.Delay(_options.ShutdownTimeout)).ConfigureAwait(false) == _drained.Task;
        if (!drained)
        {
            HostLog.StopTimedOut(_logger, Volatile.Read(ref _inFlight));
            _callsCancelled.Cancel();
        }

        _listener.Close();
        _watch?.Dispose();
    }

    /// <summary>Stops the server gracefully, as <see cref="StopAsync"/> does.</summary>
    /// <returns>A task that completes when the listener is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _callsCancelled.Dispose();
        _appDisposing.Dispose();
        _slots.Dispose();
    }

    private static System.Net.HttpListener CreateListener(HttpListenerOwinServerOptions options)
    {
        // Write failures are reported: the call turns them into owin.CallCancelled and an IOException for the app.
        var listener = new System.Net.HttpListener { IgnoreWriteExceptions = false };
        foreach (var prefix in options.Prefixes)
        {
            listener.Prefixes.Add(PrefixRewrite.Map(prefix));
        }

        return listener;
    }

    // A race in the managed HttpListener (dotnet/corefx#35191, still in .NET 10): a connection that arrives while
    // Start() builds its endpoint listener, such as a load balancer probing a restarting app, makes Start() throw
    // ArgumentNullException, dispose the HttpListener and leave that endpoint's socket bound until it is finalized.
    // A new listener after a full collection starts; without the collection the retry fails with "address already
    // in use", because the disposed listener's socket is still bound. The same race on one of the listener's own
    // thread-pool callbacks would end the process; the gate holds those callbacks until Start() is over.
    private void StartListener()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using (StartCallbackGate.Close())
                {
                    _listener.Start();
                }

                return;
            }
            catch (ArgumentNullException exception) when (attempt < StartAttempts)
            {
                HostLog.StartRaced(_logger, attempt, exception);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                _listener = CreateListener(_options);
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                _slots.Release();
                if (!_stopping.IsCancellationRequested)
                {
                    HostLog.AcceptFailed(_logger, exception);

                    // A listener that keeps failing must not spin a core; a transient failure costs 100 ms.
                    await Task.Delay(AcceptRetryDelay).ConfigureAwait(false);
                    continue;
                }

                return;
            }

            Interlocked.Increment(ref _inFlight);
            if (_stopping.IsCancellationRequested)
            {
                // Accepted after the stop began: refuse it and close the connection.
                context.Response.StatusCode = 503;
                context.Response.KeepAlive = false;
                context.Response.ContentLength64 = 0;
                context.Response.Close();
                Finish();
                return;
            }

            // Each request runs on the thread pool, so an app that blocks cannot hold up the accept loop.
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = ((HttpListenerOwinServer.Work)state!).RunAsync(), new Work(this, context));
        }
    }

    private async Task ProcessAsync(HttpListenerContext context)
    {
        var call = new HttpListenerCall(context, _prefixes, _options.ResponseBufferSize, _appDisposingToken, _bodyLimits, _callsCancelled.Token);
        await _runner.RunAsync(call).ConfigureAwait(false);
        if (call.Aborted)
        {
            return;
        }

        try
        {
            context.Response.Close();
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone or the response is broken; abort whatever is left.
            context.Response.Abort();
        }
    }

    private void Finish()
    {
        _slots.Release();
        if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult(true);
        }
    }

    private sealed class Work(HttpListenerOwinServer server, HttpListenerContext context)
    {
        public async Task RunAsync()
        {
            try
            {
                await server.ProcessAsync(context).ConfigureAwait(false);
            }
            finally
            {
                server.Finish();
            }
        }
    }
}
