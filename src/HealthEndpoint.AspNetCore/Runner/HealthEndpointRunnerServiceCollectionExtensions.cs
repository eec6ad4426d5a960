using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthEndpoint.AspNetCore;

/// <summary>Gives an app's own ASP.NET Core Health Checks endpoints (<c>MapHealthChecks</c>) this project's check runner.</summary>
public static class HealthEndpointRunnerServiceCollectionExtensions
{
    /// <summary>
    /// Replaces ASP.NET Core's <see cref="HealthCheckService"/> with one that runs the app's <c>AddHealthChecks()</c>
    /// registrations under the HealthEndpoint runner: one run shared by concurrent requests and reused for
    /// <see cref="HealthEndpointOptions.StatusCacheDuration"/> (a failed one for a twentieth of it), a hard
    /// <see cref="HealthEndpointOptions.CheckTimeout"/>, and at most one operation per check in flight.
    /// </summary>
    /// <param name="services">The app's services; <c>AddHealthChecks()</c> may come before or after this call.</param>
    /// <param name="configure">
    /// Sets <see cref="HealthEndpointOptions.CheckTimeout"/>, <see cref="HealthEndpointOptions.StatusCacheDuration"/>
    /// and <see cref="HealthEndpointOptions.Logger"/> (default: the app's logger factory, category
    /// <c>HealthEndpoint.AspNetCore</c>); nothing else applies here.
    /// </param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid or does not apply; the message names it.</exception>
    /// <remarks>
    /// The endpoints, their <c>HealthCheckOptions</c> (predicates, status codes, response writers) and the
    /// <see cref="HealthReport"/> they get stay ASP.NET Core's: each entry keeps its check's status, description,
    /// exception, data, tags and duration. What changes is when checks run. A check past the deadline is reported with
    /// its registration's failure status; its operation keeps running and the next run joins it. A predicate selects
    /// the entries of a report; the shared run runs every registration, so a report waits at most
    /// <see cref="HealthEndpointOptions.CheckTimeout"/>, and one that selects none answers without a run.
    /// <c>Degraded</c> counts as ok for the runner's reuse, as <c>HealthCheckAdapter</c> maps it.
    /// </remarks>
    public static IServiceCollection AddHealthEndpointRunner(this IServiceCollection services, Action<HealthEndpointOptions>? configure = null)
    {
        if (services is null)
        {
            throw new ArgumentNullException(nameof(services));
        }

        var options = new HealthEndpointOptions();
        configure?.Invoke(options);
        Validate(options);

        // AddHealthChecks() adds the default service with TryAdd: after this, it keeps ours whatever the order.
        services.AddHealthChecks();
        services.RemoveAll<HealthCheckService>();
        services.AddSingleton<HealthCheckService>(provider => new RunnerHealthCheckService(
            options,
            provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations,
            provider.GetRequiredService<IServiceScopeFactory>(),
            provider.GetService<ILoggerFactory>()));
        return services;
    }

    // At registration, so that a bad setting stops the app while it is built, not on its first health request.
    private static void Validate(HealthEndpointOptions options)
    {
        _ = new HealthEndpointMiddleware(static _ => Task.CompletedTask, options);
        var source = options.Database is not null ? nameof(HealthEndpointOptions.Database)
            : options.Redis is not null ? nameof(HealthEndpointOptions.Redis)
            : options.Checks.Count > 0 ? nameof(HealthEndpointOptions.Checks)
            : null;
        if (source is not null)
        {
            throw new HealthEndpointConfigurationException(
                nameof(HealthEndpointOptions) + "." + source,
                $"{nameof(HealthEndpointOptions)}.{source} does not apply to {nameof(AddHealthEndpointRunner)}: it runs the app's AddHealthChecks() registrations; register the check there.");
        }
    }
}
