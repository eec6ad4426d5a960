using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.Host.Kestrel;
using HealthEndpoint.Owin.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.AspNetCore.Tests.Behaviour;

/// <summary>
/// The endpoint in front of a session-setting app, on a free loopback port, through either adapter: the same options,
/// the same inner app (200 <c>legacy app</c> with a new <c>Set-Cookie</c>, every call counted).
/// </summary>
internal sealed class HealthServer : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly Func<ValueTask> _dispose;
    private readonly Func<int> _appCalls;

    private HealthServer(Uri address, HealthEndpointLifecycle lifecycle, Func<int> appCalls, Func<ValueTask> dispose)
    {
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
        Lifecycle = lifecycle;
        _appCalls = appCalls;
        _dispose = dispose;
    }

    /// <summary>A client of this server that keeps no cookies.</summary>
    public HttpClient Client { get; }

    /// <summary>The endpoint's lifecycle, for a test that drains it by hand.</summary>
    public HealthEndpointLifecycle Lifecycle { get; }

    /// <summary>How many requests reached the inner app.</summary>
    public int AppCalls => _appCalls();

    public static async Task<HealthServer> StartAsync(Adapter adapter, Action<HealthEndpointOptions> configure)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return adapter == Adapter.Owin ? await StartOwinAsync(configure) : await StartAspNetCoreAsync(configure);
            }
            catch (IOException) when (attempt < StartAttempts)
            {
                // Another process took the free port between the pick and the bind: try a new one.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _dispose();
    }

    private static async Task<HealthServer> StartOwinAsync(Action<HealthEndpointOptions> configure)
    {
        var options = new HealthEndpointOptions();
        configure(options);
        var app = new RecordingApp();
        var port = FreeTcpPort.Next();
        var serverOptions = new KestrelOwinServerOptions();
        serverOptions.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        var server = new KestrelOwinServer(HealthEndpointMiddleware.Wrap(app.Invoke, options), serverOptions);
        await server.StartAsync();
        return new HealthServer(new Uri($"http://127.0.0.1:{port}/"), options.Lifecycle, () => app.Calls, server.DisposeAsync);
    }

    private static async Task<HealthServer> StartAspNetCoreAsync(Action<HealthEndpointOptions> configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        HealthEndpointOptions? seen = null;
        builder.Services.AddHealthEndpoint(options =>
        {
            configure(options);
            seen = options;
        });
        var app = builder.Build();
        var calls = 0;
        app.UseHealthEndpoint();
        app.Run(context =>
        {
            var call = Interlocked.Increment(ref calls);
            context.Response.Headers.SetCookie = "session=" + call.ToString(CultureInfo.InvariantCulture) + "; HttpOnly";
            context.Response.ContentLength = 10;
            return context.Response.WriteAsync("legacy app");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HealthServer(new Uri(address + "/"), seen!.Lifecycle, () => Volatile.Read(ref calls), app.DisposeAsync);
    }
}
