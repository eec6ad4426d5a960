using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using LegacyApp.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>
/// LegacyApp as it runs in production — its configuration, its plugin pipeline, the host <c>Host:Server</c> names
/// (HttpListener by default, or Kestrel) — on a free loopback port, with an HttpClient that never sends cookies (like a probe).
/// </summary>
internal sealed class LegacyAppHost : IAsyncDisposable
{
    private readonly AppServer _server;

    private LegacyAppHost(LegacyApplication application, AppServer server, Uri baseAddress)
    {
        Application = application;
        _server = server;
        BaseAddress = baseAddress;
        Client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public LegacyApplication Application { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>Starts the app with these settings over its embedded defaults.</summary>
    public static async Task<LegacyAppHost> StartAsync(IDictionary<string, string?> settings, ILoggerFactory? loggerFactory = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var configuration = LegacySettings.Build([], settings);
        var application = LegacyApplication.Create(configuration, loggerFactory);
        for (var attempt = 1; ; attempt++)
        {
            var baseAddress = new Uri($"http://127.0.0.1:{FreeTcpPort.Next()}/");
            var server = AppServer.Create(application, configuration, [baseAddress.ToString()], loggerFactory.CreateLogger("host"));
            try
            {
                await server.StartAsync();
                return new LegacyAppHost(application, server, baseAddress);
            }
            catch (Exception exception) when (AppServer.IsBindFailure(exception) && attempt < 5)
            {
                // Another process took the port between FreeTcpPort and Start; try another.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Sends one request without cookies and returns the response with its body read.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) => SendAsync(new HttpRequestMessage(method, path));

    /// <summary>Sends one request (which it disposes) without cookies and returns the response with its body read.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message)
    {
        using var request = message;
        var response = await Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Begins the server's graceful stop (drain delay included); the task ends when the listener is closed.</summary>
    public Task StopServerAsync() => _server.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        await Application.DisposeAsync();
    }
}
