using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.Owin.HealthChecks.Tests;

/// <summary>An ASP.NET Core check that answers what the test says and remembers the context it was given.</summary>
internal sealed class StubHealthCheck(Func<HealthCheckContext, CancellationToken, Task<HealthCheckResult>> answer) : IHealthCheck
{
    public HealthCheckContext? LastContext { get; private set; }

    public CancellationToken LastToken { get; private set; }

    public static StubHealthCheck Returning(HealthCheckResult result) => new((_, _) => Task.FromResult(result));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        LastContext = context;
        LastToken = cancellationToken;
        return answer(context, cancellationToken);
    }
}
