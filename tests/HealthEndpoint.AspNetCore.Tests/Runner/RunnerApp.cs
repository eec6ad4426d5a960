using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.AspNetCore.Tests.Runner;

/// <summary>
/// A <c>WebApplication</c> on Kestrel (a free 127.0.0.1 port) whose health endpoints are ASP.NET Core's own
/// <c>MapHealthChecks</c>, unchanged: with the opt-in runner, or without it (the control).
/// </summary>
internal sealed class RunnerApp : IAsyncDisposable
{
    /// <summary>Every registration, written by <see cref="ReportJson"/>.</summary>
    public const string AllPath = "/health";

    /// <summary>The registrations tagged <c>ready</c>, written by <see cref="ReportJson"/>.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>No registration (a liveness endpoint's usual predicate), written by <see cref="ReportJson"/>.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Every registration, with MapHealthChecks' default writer and status codes.</summary>
    public const string StatusPath = "/healthz/status";

    private readonly WebApplication _app;

    private RunnerApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the app with the registrations <paramref name="addChecks"/> makes, and the runner when <paramref name="runner"/> is set.</summary>
    public static async Task<RunnerApp> StartAsync(
        bool runner, Action<IHealthChecksBuilder> addChecks, Action<HealthEndpointOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        addChecks(builder.Services.AddHealthChecks());
        if (runner)
        {
            builder.Services.AddHealthEndpointRunner(configure);
        }

        var app = builder.Build();
        app.MapHealthChecks(AllPath, new HealthCheckOptions { ResponseWriter = ReportJson.WriteAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = ReportJson.WriteAsync });
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = ReportJson.WriteAsync });
        app.MapHealthChecks(StatusPath);
        await app.StartAsync();
        return new RunnerApp(app, new Uri(app.Urls.Single()));
    }

    /// <summary>A cookieless client for this app with room for <paramref name="connections"/> connections.</summary>
    public HttpClient Client(int connections, TimeSpan timeout) => new(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = connections })
    {
        BaseAddress = BaseAddress,
        Timeout = timeout,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
