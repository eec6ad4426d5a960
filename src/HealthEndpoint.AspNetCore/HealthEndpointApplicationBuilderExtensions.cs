using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HealthEndpoint.AspNetCore;

/// <summary>Adds the health endpoint to an ASP.NET Core app's request pipeline.</summary>
public static class HealthEndpointApplicationBuilderExtensions
{
    /// <summary>
    /// Answers the health paths here and passes every other request on. Call it first, before
    /// <c>UseForwardedHeaders</c>, authentication, session and routing: a probe then never reaches them.
    /// </summary>
    /// <param name="app">The app's pipeline.</param>
    /// <returns><paramref name="app"/>, for chaining.</returns>
    /// <exception cref="Owin.HealthEndpointConfigurationException">A setting is invalid; the message names every bad one.</exception>
    /// <exception cref="InvalidOperationException"><c>services.AddHealthEndpoint(...)</c> was not called.</exception>
    public static IApplicationBuilder UseHealthEndpoint(this IApplicationBuilder app)
    {
        if (app is null)
        {
            throw new ArgumentNullException(nameof(app));
        }

        // Resolved now, not on the first request: bad settings stop the app while it is being built.
        var endpoint = app.ApplicationServices.GetService<HealthEndpointApp>()
            ?? throw new InvalidOperationException("UseHealthEndpoint() needs services.AddHealthEndpoint(...) first.");
        return app.Use(next => new HealthEndpointAspNetCoreMiddleware(next, endpoint.Middleware, endpoint.AppStopping).InvokeAsync);
    }
}
