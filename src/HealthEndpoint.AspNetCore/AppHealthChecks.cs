using System;
using System.Threading;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore;

/// <summary>Adds the app's <c>AddHealthChecks()</c> registrations to the endpoint's checks, each under our runner.</summary>
internal static class AppHealthChecks
{
    /// <summary>
    /// Adds each registration <paramref name="predicate"/> selects, named as registered in lowercase (ASP.NET Core
    /// compares names case-insensitively). One named <c>database</c> or <c>redis</c> fills that built-in check when the
    /// options leave it empty, so the status document reads as the Katana app's. Any other name goes to
    /// <see cref="HealthEndpointOptions.Checks"/>, where the options' validation judges it.
    /// </summary>
    public static void AddTo(
        HealthEndpointOptions options, HealthCheckServiceOptions healthChecks, Func<HealthCheckRegistration, bool>? predicate, IServiceScopeFactory scopes)
    {
        foreach (var registration in healthChecks.Registrations)
        {
            if (predicate is not null && !predicate(registration))
            {
                continue;
            }

            var name = registration.Name.ToLowerInvariant();
            var adapterOptions = new HealthCheckAdapterOptions
            {
                Timeout = registration.Timeout == Timeout.InfiniteTimeSpan ? options.CheckTimeout : registration.Timeout,
                Logger = options.Logger,
            };
            HealthCheck check = new HealthCheckAdapter(name, new AppHealthCheck(registration, scopes), adapterOptions).CheckAsync;
            if (name == "database" && options.Database is null)
            {
                options.Database = check;
            }
            else if (name == "redis" && options.Redis is null)
            {
                options.Redis = check;
            }
            else
            {
                options.Checks.Add(new NamedHealthCheck(name, check));
            }
        }
    }
}
