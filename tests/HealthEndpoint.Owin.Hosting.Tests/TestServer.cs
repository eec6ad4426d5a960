using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Host.Kestrel;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Hosting.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>A started <see cref="HttpListenerOwinServer"/> or <see cref="KestrelOwinServer"/> on a free loopback port, with its log captured.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly Func<Task> _stop;
    private readonly Func<ValueTask> _dispose;

    private TestServer(IReadOnlyList<int> ports, RecordingLoggerFactory logs, Func<Task> stop, Func<ValueTask> dispose)
    {
        Ports = ports;
        Logs = logs;
        _stop = stop;
        _dispose = dispose;
    }

    /// <summary>The first prefix's port.</summary>
    public int Port => Ports[0];

    /// <summary>The port of each prefix: the first one's, then one per <see cref="HostSettings.MorePrefixPaths"/>.</summary>
    public IReadOnlyList<int> Ports { get; }

    /// <summary>The Kestrel host, when that is the one running; null on HttpListener.</summary>
    public KestrelOwinServer? Kestrel { get; private init; }

    /// <summary>Every entry the server logged after it started.</summary>
    public RecordingLoggerFactory Logs { get; }

    /// <summary>What the server logged while it started (its "Now listening on" line), kept apart from <see cref="Logs"/>.</summary>
    public IReadOnlyList<LogEntry> StartLogs { get; private set; } = [];

    /// <summary>
    /// Starts <paramref name="app"/> on <c>http://127.0.0.1:{port}{pathBase}</c> (and on one more free port per
    /// <see cref="HostSettings.MorePrefixPaths"/>), on new free ports when one picked was taken in the meantime.
    /// </summary>
    /// <param name="host">Which server.</param>
    /// <param name="app">The app to serve.</param>
    /// <param name="pathBase">The prefix's path, starting and ending with '/'.</param>
    /// <param name="configure">Changes to the default options, applied before the server is created.</param>
    public static async Task<TestServer> StartAsync(HostKind host, AppFunc app, string pathBase = "/", Action<HostSettings>? configure = null)
    {
        var settings = new HostSettings();
        configure?.Invoke(settings);
        for (var attempt = 1; ; attempt++)
        {
            var ports = new List<int> { FreeTcpPort.Next() };
            var prefixes = new List<string> { string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ports[0]}{pathBase}") };
            foreach (var path in settings.MorePrefixPaths)
            {
                ports.Add(FreeTcpPort.Next());
                prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ports[^1]}{path}"));
            }

            settings.Port = ports[0];
            var logs = new RecordingLoggerFactory();
            try
            {
                var server = host == HostKind.Kestrel
                    ? await StartKestrelAsync(app, prefixes, ports, logs, settings)
                    : await StartHttpListenerAsync(app, prefixes, ports, logs, settings);
                server.StartLogs = logs.TakeAll();
                return server;
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException && attempt < StartAttempts)
            {
                // Another process took the port between FreeTcpPort.Next() and the bind: try a new one.
            }
        }
    }

    /// <summary>Opens a raw connection to the server.</summary>
    public Task<RawHttpConnection> ConnectAsync() => RawHttpConnection.OpenAsync(Port);

    /// <summary>A request with no body, addressed to this server.</summary>
    public string Request(string method, string target, params string[] headers) =>
        RawHttpConnection.Request(method, target, Port, headers);

    /// <summary>Opens a connection, sends one request and reads its response.</summary>
    public async Task<RawHttpResponse> SendAsync(string method, string target, params string[] headers)
    {
        using var connection = await ConnectAsync();
        await connection.SendAsync(Request(method, target, headers));
        return await connection.ReadResponseAsync(head: method == "HEAD");
    }

    /// <summary>The host's graceful stop: drain window, in-flight requests, close.</summary>
    public Task StopAsync() => _stop();

    public ValueTask DisposeAsync() => _dispose();

    private static async Task<TestServer> StartHttpListenerAsync(AppFunc app, List<string> prefixes, IReadOnlyList<int> ports, RecordingLoggerFactory logs, HostSettings settings)
    {
        var options = new HttpListenerOwinServerOptions
        {
            Logger = logs.CreateLogger(nameof(HttpListenerOwinServer)),
            DrainDelay = settings.DrainDelay,
            OnStarted = settings.OnStarted,
            OnDraining = settings.OnDraining,
        };
        options.ShutdownTimeout = settings.ShutdownTimeout ?? options.ShutdownTimeout;
        options.MaxRequestBodySize = settings.MaxRequestBodySize ?? options.MaxRequestBodySize;
        prefixes.ForEach(options.Prefixes.Add);
        settings.HttpListener?.Invoke(options);
        var server = new HttpListenerOwinServer(app, options);
        try
        {
            await server.StartAsync();
        }
        catch (HttpListenerException)
        {
            await server.DisposeAsync();
            throw;
        }

        return new TestServer(ports, logs, server.StopAsync, server.DisposeAsync);
    }

    private static async Task<TestServer> StartKestrelAsync(AppFunc app, List<string> prefixes, IReadOnlyList<int> ports, RecordingLoggerFactory logs, HostSettings settings)
    {
        var options = new KestrelOwinServerOptions
        {
            Logger = logs.CreateLogger(nameof(KestrelOwinServer)),
            DrainDelay = settings.DrainDelay,
            OnStarted = settings.OnStarted,
            OnDraining = settings.OnDraining,
        };
        options.ShutdownTimeout = settings.ShutdownTimeout ?? options.ShutdownTimeout;
        options.MaxRequestBodySize = settings.MaxRequestBodySize ?? options.MaxRequestBodySize;
        prefixes.ForEach(options.Prefixes.Add);
        settings.Kestrel?.Invoke(options);
        var server = new KestrelOwinServer(app, options);
        try
        {
            await server.StartAsync();
        }
        catch (IOException)
        {
            await server.DisposeAsync();
            throw;
        }

        return new TestServer(ports, logs, server.StopAsync, server.DisposeAsync) { Kestrel = server };
    }
}
