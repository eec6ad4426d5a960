using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// One of the app's registrations as the runner runs it: a check made by the registration's factory in a new scope
/// per operation (as ASP.NET Core's own service does per run), given the app's registration in its context, its
/// result kept as the <see cref="HealthReportEntry"/> ASP.NET Core would have made of it.
/// </summary>
/// <remarks>
/// It sits behind a <c>HealthCheckAdapter</c>, which maps the returned result onto ok and fail and cancels the token
/// at the registration's timeout; the runner cancels it at its deadline.
/// </remarks>
internal sealed class RegisteredCheck(HealthCheckRegistration registration, IServiceScopeFactory scopes, Action changed) : IHealthCheck
{
    /// <summary>What ASP.NET Core's own service reports for a check cancelled at its timeout.</summary>
    public const string TimeoutDescription = "A timeout occurred while running check.";

    private volatile CheckAttempt? _latest;

    public HealthCheckRegistration Registration => registration;

    /// <summary>The operation started last (the one in flight, or the last finished), or null before the first.</summary>
    public CheckAttempt? Latest => _latest;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var attempt = new CheckAttempt();
        _latest = attempt;
        changed();
        var entry = await RunAsync(cancellationToken).ConfigureAwait(false);
        attempt.Finish(entry);
        changed();
        return new HealthCheckResult(entry.Status, entry.Description, entry.Exception, entry.Data);
    }

    /// <summary>The entry ASP.NET Core reports for a check that failed without a result of its own.</summary>
    public HealthReportEntry Failed(string description, Exception exception, TimeSpan duration) =>
        new(registration.FailureStatus, description, duration, exception, data: null, registration.Tags);

    // As DefaultHealthCheckService: a thrown exception is the registration's failure status with the exception's
    // message; a cancellation (here: the registration's timeout or the runner's deadline) is a timeout.
    private async Task<HealthReportEntry> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var scope = scopes.CreateAsyncScope();
        try
        {
            var check = registration.Factory(scope.ServiceProvider);
            var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, cancellationToken).ConfigureAwait(false);
            return new HealthReportEntry(result.Status, result.Description, Stopwatch.GetElapsedTime(started), result.Exception, result.Data, registration.Tags);
        }
        catch (OperationCanceledException exception)
        {
            return Failed(TimeoutDescription, exception, Stopwatch.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // A check's failure is its entry, never the request's exception.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return Failed(exception.Message, exception, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>One operation of a check: unfinished until its entry is known.</summary>
internal sealed class CheckAttempt
{
    private HealthReportEntry _entry;
    private volatile bool _finished;

    public bool TryGetEntry(out HealthReportEntry entry)
    {
        var finished = _finished;
        entry = finished ? _entry : default;
        return finished;
    }

    public void Finish(HealthReportEntry entry)
    {
        _entry = entry;
        _finished = true;
    }
}
