using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using AspNetCoreRegistration = Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration;

namespace HealthEndpoint.Owin.HealthChecks;

/// <summary>
/// Runs an ASP.NET Core <see cref="IHealthCheck"/> as a HealthEndpoint check: <c>Healthy</c> and (by default)
/// <c>Degraded</c> report <c>ok</c>; <c>Unhealthy</c>, or a check that throws, reports <c>fail</c>.
/// </summary>
/// <remarks>
/// <para>
/// Register it with <see cref="HealthEndpointOptionsExtensions.AddHealthCheck"/>: the runner then gives it a hard
/// deadline and lets at most one operation run against it at a time, which ASP.NET Core's own health check
/// service does not (against a frozen PostgreSQL, AspNetCore.HealthChecks.NpgSql opens a connection per concurrent
/// request and answers only after Npgsql's own timeouts; docs/performance.md has the figures).
/// </para>
/// <para>
/// The check sees the context ASP.NET Core would give it: a registration with the name, failure status
/// <c>Unhealthy</c>, the tags and the timeout, and a token cancelled at that timeout (Xabaril's checks read
/// <c>context.Registration.FailureStatus</c> and fail with a <see cref="NullReferenceException"/> without it).
/// A result's description, exception and data never reach a response; a failing one goes to the runner's log.
/// </para>
/// </remarks>
public sealed class HealthCheckAdapter
{
    private const int NotDegraded = 0;
    private const int Degraded = 1;

    private static readonly Action<ILogger, string, string?, Exception?> DegradedMessage =
        LoggerMessage.Define<string, string?>(
            LogLevel.Warning,
            new EventId(30, "HealthCheckDegraded"),
            "Health check '{Check}' reported Degraded ({Description}); reported ok.");

    private static readonly Action<ILogger, string, Exception?> NoLongerDegradedMessage =
        LoggerMessage.Define<string>(
            LogLevel.Information,
            new EventId(31, "HealthCheckNoLongerDegraded"),
            "Health check '{Check}' is no longer Degraded.");

    private readonly IHealthCheck _check;
    private readonly HealthCheckAdapterOptions _options;
    private readonly Func<TimeSpan> _defaultTimeout;
    private readonly Func<ILogger?> _defaultLogger;
    private int _lastState = NotDegraded;

    /// <summary>Creates an adapter; add <see cref="CheckAsync"/> to the endpoint's checks under <paramref name="name"/>.</summary>
    /// <param name="name">The name the check sees in its context, normally its key in the status body.</param>
    /// <param name="check">The ASP.NET Core check.</param>
    /// <param name="options">
    /// How its result maps onto ok and fail. Without <see cref="HealthCheckAdapterOptions.Timeout"/> the context
    /// carries no timeout (infinite), and without <see cref="HealthCheckAdapterOptions.Logger"/> nothing is logged.
    /// </param>
    public HealthCheckAdapter(string name, IHealthCheck check, HealthCheckAdapterOptions? options = null)
        : this(name, check, options ?? new HealthCheckAdapterOptions(), static () => Timeout.InfiniteTimeSpan, static () => null)
    {
    }

    internal HealthCheckAdapter(string name, IHealthCheck check, HealthCheckAdapterOptions options, Func<TimeSpan> defaultTimeout, Func<ILogger?> defaultLogger)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _check = check ?? throw new ArgumentNullException(nameof(check));
        _options = options;
        _defaultTimeout = defaultTimeout;
        _defaultLogger = defaultLogger;
    }

    /// <summary>The name the check sees in <c>context.Registration.Name</c>.</summary>
    public string Name { get; }

    /// <summary>Runs the check once; completes when it reports ok, throws when it reports fail.</summary>
    /// <param name="cancellationToken">Cancelled at the endpoint's check deadline.</param>
    /// <returns>The check's run.</returns>
    /// <exception cref="HealthCheckResultException">The check reported <c>Unhealthy</c> (or <c>Degraded</c> with <see cref="HealthCheckAdapterOptions.FailOnDegraded"/>).</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.Timeout ?? _defaultTimeout();
        var registration = new AspNetCoreRegistration(Name, _check, HealthStatus.Unhealthy, _options.Tags.ToArray(), timeout);
        var context = new HealthCheckContext { Registration = registration };

        // As ASP.NET Core's DefaultHealthCheckService does: the check's token is also cancelled at its own timeout.
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timeoutSource.CancelAfter(timeout);
        }

        var result = await _check.CheckHealthAsync(context, timeoutSource.Token).ConfigureAwait(false);
        switch (result.Status)
        {
            case HealthStatus.Healthy:
                NoteDegraded(false, result);
                return;
            case HealthStatus.Degraded when !_options.FailOnDegraded:
                NoteDegraded(true, result);
                return;
            default:
                NoteDegraded(false, result);
                throw new HealthCheckResultException(
                    string.IsNullOrEmpty(result.Description) ? $"{result.Status}." : $"{result.Status}: {result.Description}",
                    result.Exception);
        }
    }

    /// <summary>Logs entering and leaving Degraded once each, not on every run (a probe every few seconds would flood the log).</summary>
    private void NoteDegraded(bool degraded, HealthCheckResult result)
    {
        var previous = Interlocked.Exchange(ref _lastState, degraded ? Degraded : NotDegraded);
        var logger = _options.Logger ?? _defaultLogger();
        if (logger is null || previous == (degraded ? Degraded : NotDegraded))
        {
            return;
        }

        if (degraded)
        {
            DegradedMessage(logger, Name, result.Description, result.Exception);
        }
        else
        {
            NoLongerDegradedMessage(logger, Name, null);
        }
    }
}
