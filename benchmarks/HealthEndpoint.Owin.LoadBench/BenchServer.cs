using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Host.Kestrel;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.LoadBench;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>An <see cref="HttpListenerOwinServer"/> or <see cref="KestrelOwinServer"/> of this process, with default options, on a free 127.0.0.1 port.</summary>
/// <remarks>
/// Every variant gets its own server so that only the app differs between the two sides of a pair; an idle
/// server costs nothing while the other side runs (its accept loops wait on the listener).
/// </remarks>
internal sealed class BenchServer : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private readonly Func<ValueTask> _dispose;

    private BenchServer(Func<ValueTask> dispose, int port)
    {
        _dispose = dispose;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The PID whose CPU time the rounds charge to this server: this process.</summary>
    public static int ProcessId => Environment.ProcessId;

    /// <summary>Starts <paramref name="app"/>, on a new free port when the one picked was taken in the meantime.</summary>
    public static async Task<BenchServer> StartAsync(AppFunc app)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var options = new HttpListenerOwinServerOptions
            {
                // Bounded stop: after a saturation round, slow requests may still be running.
                ShutdownTimeout = TimeSpan.FromSeconds(3),
            };
            options.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
            var server = new HttpListenerOwinServer(app, options);
            try
            {
                await server.StartAsync();
                return new BenchServer(server.DisposeAsync, port);
            }
            catch (HttpListenerException) when (attempt < StartAttempts)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Starts <paramref name="app"/> on the Kestrel OWIN host, on a new free port when the one picked was taken.</summary>
    public static async Task<BenchServer> StartKestrelAsync(AppFunc app)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var options = new KestrelOwinServerOptions { ShutdownTimeout = TimeSpan.FromSeconds(3) };
            options.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
            var server = new KestrelOwinServer(app, options);
            try
            {
                await server.StartAsync();
                return new BenchServer(server.DisposeAsync, port);
            }
            catch (System.IO.IOException) when (attempt < StartAttempts)
            {
                await server.DisposeAsync();
            }
        }
    }

    public string Url(string path) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}{path}");

    public ValueTask DisposeAsync() => _dispose();
}
