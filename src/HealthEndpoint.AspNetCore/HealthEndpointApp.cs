using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// The app's one health endpoint: the options with the app's health checks added, validated into the core's
/// <see cref="HealthEndpointMiddleware"/>, and the host's lifetime wired to its lifecycle. Built once, by
/// <c>UseHealthEndpoint</c>, so that bad settings stop the app while it is being built.
/// </summary>
internal sealed class HealthEndpointApp
{
    private const string DrainDelayKey = nameof(HealthEndpointHostOptions) + "." + nameof(HealthEndpointHostOptions.DrainDelay);

    public HealthEndpointApp(
        IOptions<HealthEndpointOptions> endpointOptions,
        IOptions<HealthEndpointHostOptions> hostOptions,
        IOptions<HealthCheckServiceOptions> healthChecks,
        IServiceScopeFactory scopes,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers)
    {
        var options = endpointOptions.Value;
        var host = hostOptions.Value;
        if (options.Logger == NullLogger.Instance)
        {
            options.Logger = loggers.CreateLogger("HealthEndpoint.AspNetCore");
        }

        AppHealthChecks.AddTo(options, healthChecks.Value, host.Predicate, scopes);
        Middleware = new HealthEndpointMiddleware(NeverCalled, options);
        if (host.DrainDelay < TimeSpan.Zero)
        {
            throw new HealthEndpointConfigurationException(DrainDelayKey, DrainDelayKey + " must not be negative.");
        }

        AppStopping = lifetime.ApplicationStopping;
        var lifecycle = options.Lifecycle;
        var drainDelay = host.DrainDelay;
        lifetime.ApplicationStarted.Register(lifecycle.MarkStarted);
        lifetime.ApplicationStopping.Register(() =>
        {
            lifecycle.BeginDraining();

            // ApplicationStopping's callbacks run under the lifetime's lock, and the host stops the server only after
            // they return: blocking here is what keeps the listener open for the drain delay, 503s going out.
            if (drainDelay > TimeSpan.Zero)
            {
                Thread.Sleep(drainDelay);
            }
        });
    }

    /// <summary>The host's ApplicationStopping, which each health request carries as <c>host.OnAppDisposing</c>.</summary>
    public CancellationToken AppStopping { get; }

    /// <summary>The core middleware; the ASP.NET Core middleware calls it for health paths only.</summary>
    public HealthEndpointMiddleware Middleware { get; }

    // The ASP.NET Core middleware hands the core health paths only, so the core never passes a request on.
    private static Task NeverCalled(IDictionary<string, object> environment) =>
        throw new InvalidOperationException("A request that is not a health request reached the health endpoint.");
}
