using System;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.Owin.HealthChecks;

/// <summary>Registers ASP.NET Core health checks as named HealthEndpoint checks.</summary>
public static class HealthEndpointOptionsExtensions
{
    /// <summary>
    /// Adds <paramref name="check"/> to <see cref="HealthEndpointOptions.Checks"/> under <paramref name="name"/>,
    /// so that it runs under the endpoint's deadline and one-outstanding-operation rule.
    /// </summary>
    /// <param name="options">The endpoint's options.</param>
    /// <param name="name">The key in the status body: lowercase <c>[a-z0-9_.-]+</c>, validated with the options.</param>
    /// <param name="check">The check, for example <c>new NpgSqlHealthCheck(...)</c> from AspNetCore.HealthChecks.NpgSql.</param>
    /// <param name="adapterOptions">How its result maps onto ok and fail; defaults as in <see cref="HealthCheckAdapterOptions"/>.</param>
    /// <returns>The adapter that was registered.</returns>
    /// <remarks>
    /// The context's timeout and the logger default to <see cref="HealthEndpointOptions.CheckTimeout"/> and
    /// <see cref="HealthEndpointOptions.Logger"/> as they are when the check runs, so the order of configuration
    /// does not matter.
    /// </remarks>
    public static HealthCheckAdapter AddHealthCheck(this HealthEndpointOptions options, string name, IHealthCheck check, HealthCheckAdapterOptions? adapterOptions = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var adapter = new HealthCheckAdapter(
            name,
            check,
            adapterOptions ?? new HealthCheckAdapterOptions(),
            () => options.CheckTimeout,
            () => options.Logger);
        options.Checks.Add(new NamedHealthCheck(name, adapter.CheckAsync));
        return adapter;
    }
}
