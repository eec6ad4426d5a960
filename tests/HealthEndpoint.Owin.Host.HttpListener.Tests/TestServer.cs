using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading.Tasks;
using Owin.HealthEndpoint.Testing;

namespace Owin.HealthEndpoint.Hosting.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>A started <see cref="OwinServer"/> on a free loopback port, with its log captured.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private TestServer(OwinServer server, int port, RecordingLoggerFactory logs)
    {
        Server = server;
        Port = port;
        Logs = logs;
    }

    public OwinServer Server { get; }

    public int Port { get; }

    /// <summary>Every entry the server logged.</summary>
    public RecordingLoggerFactory Logs { get; }

    /// <summary>
    /// Starts <paramref name="app"/> on <c>http://127.0.0.1:{port}{pathBase}</c>, on a new free port when the
    /// one picked was taken in the meantime.
    /// </summary>
    /// <param name="app">The app to serve.</param>
    /// <param name="pathBase">The prefix's path, starting and ending with '/'.</param>
    /// <param name="configure">Changes to the default options, applied before the server is created.</param>
    public static async Task<TestServer> StartAsync(AppFunc app, string pathBase = "/", Action<OwinServerOptions>? configure = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var logs = new RecordingLoggerFactory();
            var options = new OwinServerOptions { Logger = logs.CreateLogger(nameof(OwinServer)) };
            options.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{pathBase}"));
            configure?.Invoke(options);
            var server = new OwinServer(app, options);
            try
            {
                server.Start();
                return new TestServer(server, port, logs);
            }
            catch (HttpListenerException) when (attempt < StartAttempts)
            {
                // Another process took the port between FreeTcpPort.Next() and the bind: try a new one.
                await server.DisposeAsync();
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

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
