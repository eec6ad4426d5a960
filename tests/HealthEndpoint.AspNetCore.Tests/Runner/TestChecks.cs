using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore.Tests.Runner;

/// <summary>A check that throws, as a client library does when its dependency refuses.</summary>
internal sealed class ThrowingCheck(string message) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException(message);
}

/// <summary>A check that counts its calls and answers Degraded (with data) after a delay.</summary>
internal sealed class CountingDegradedCheck(TimeSpan delay) : IHealthCheck
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        await Task.Delay(delay, CancellationToken.None);
        return HealthCheckResult.Degraded("warming up", data: new Dictionary<string, object> { ["call"] = call });
    }
}

/// <summary>A check that never answers and ignores its token, as a driver stuck on a dead socket does; counts its calls.</summary>
internal sealed class HangingCheck : IHealthCheck
{
    private readonly TaskCompletionSource<HealthCheckResult> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return _never.Task;
    }

    public void Release() => _never.TrySetResult(HealthCheckResult.Healthy());
}
