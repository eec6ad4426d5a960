using System;
using HealthEndpoint.Owin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HealthEndpoint.AspNetCore;

/// <summary>Registers the health endpoint with an ASP.NET Core app's services.</summary>
public static class HealthEndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers the health endpoint: the same <see cref="HealthEndpointOptions"/> a Katana app sets, plus every
    /// <c>AddHealthChecks()</c> registration of the app, run by the endpoint's runner. Add the middleware with
    /// <see cref="HealthEndpointApplicationBuilderExtensions.UseHealthEndpoint"/>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the paths, checks and limits; applied when the app is built.</param>
    /// <param name="configureHost">Selects the app's health checks and sets the drain delay; <see langword="null"/> = all checks, no delay.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddHealthEndpoint(
        this IServiceCollection services, Action<HealthEndpointOptions> configure, Action<HealthEndpointHostOptions>? configureHost = null)
    {
        if (services is null)
        {
            throw new ArgumentNullException(nameof(services));
        }

        if (configure is null)
        {
            throw new ArgumentNullException(nameof(configure));
        }

        services.AddOptions();
        services.Configure(configure);
        if (configureHost is not null)
        {
            services.Configure(configureHost);
        }

        services.TryAddSingleton<HealthEndpointApp>();
        return services;
    }
}
