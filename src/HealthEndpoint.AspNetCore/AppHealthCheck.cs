using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// One of the app's <c>AddHealthChecks()</c> registrations, run as ASP.NET Core's own service runs it: a new scope and
/// a new instance from the registration's factory for each run, and the registration itself in the context (its
/// failure status, tags and timeout are what a check such as Xabaril's reads).
/// </summary>
internal sealed class AppHealthCheck : IHealthCheck
{
    private readonly HealthCheckRegistration _registration;
    private readonly IServiceScopeFactory _scopes;

    public AppHealthCheck(HealthCheckRegistration registration, IServiceScopeFactory scopes)
    {
        _registration = registration;
        _scopes = scopes;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var check = _registration.Factory(scope.ServiceProvider);
            var appContext = new HealthCheckContext { Registration = _registration };
            return await check.CheckHealthAsync(appContext, cancellationToken).ConfigureAwait(false);
        }
    }
}
