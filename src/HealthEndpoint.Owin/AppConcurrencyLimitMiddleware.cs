using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthEndpoint.Owin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// Bounds how many of the app's requests run at once; beyond the bound a request gets an empty
/// <c>503 Service Unavailable</c> with <c>Retry-After</c> at once, without reaching the app.
/// </summary>
/// <remarks>
/// Compose it <em>inside</em> the health endpoint (health middleware → this → sessions → app), never around it:
/// the health paths are answered before they reach this bound, so ping and status keep answering while stuck app
/// requests (a frozen database) hold every permit. The server's own limits (connections, accepted requests) must
/// stay above <see cref="MaxConcurrentRequests"/>, or those stuck requests fill them and turn probes away there.
/// Rejecting instead of queueing keeps a stall from growing a queue of open connections; a load balancer retries
/// a 503 on another instance.
/// </remarks>
public sealed class AppConcurrencyLimitMiddleware
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly AppFunc _next;
    private readonly string _retryAfter;
    private readonly ILogger _logger;
    private int _running;
    private long _rejected;
    private long _lastLoggedTimestamp;
    private long _rejectedWhenLogged;

    /// <summary>Creates the middleware in front of <paramref name="next"/>.</summary>
    /// <param name="next">The app (and its own middleware, such as sessions) to protect.</param>
    /// <param name="maxConcurrentRequests">At most this many requests run in <paramref name="next"/> at once.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> sent with a rejection, in whole seconds (at least 1 s).</param>
    /// <param name="logger">Where saturation is reported (a warning at most every 10 s); null for nowhere.</param>
    /// <exception cref="ArgumentOutOfRangeException">The bound is below 1, or the retry delay below 1 s.</exception>
    public AppConcurrencyLimitMiddleware(AppFunc next, int maxConcurrentRequests, TimeSpan retryAfter, ILogger? logger = null)
    {
        _next = next ?? throw new ArgumentNullException(nameof(next));
        if (maxConcurrentRequests < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConcurrentRequests), maxConcurrentRequests, "The bound must be at least 1.");
        }

        if (retryAfter < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), retryAfter, "Retry-After must be at least one second.");
        }

        MaxConcurrentRequests = maxConcurrentRequests;
        _retryAfter = ((long)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The bound on concurrent app requests.</summary>
    internal int MaxConcurrentRequests { get; }

    /// <summary>How many app requests are running now.</summary>
    internal int Running => Volatile.Read(ref _running);

    /// <summary>How many requests were answered 503 because the bound was reached, since start.</summary>
    internal long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Runs the request in the app, or answers 503 when the bound is reached.</summary>
    /// <param name="environment">The OWIN environment.</param>
    /// <returns>A task that completes when the request has been answered.</returns>
    public Task Invoke(IDictionary<string, object> environment)
    {
        if (Interlocked.Increment(ref _running) > MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref _running);
            Reject(environment);
            return Task.CompletedTask;
        }

        Task task;
        try
        {
            task = _next(environment);
        }
        catch
        {
            Interlocked.Decrement(ref _running);
            throw;
        }

        if (task.IsCompleted)
        {
            Interlocked.Decrement(ref _running);
            return task;
        }

        return AwaitAndReleaseAsync(task);
    }

    private async Task AwaitAndReleaseAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private void Reject(IDictionary<string, object> environment)
    {
        var rejected = Interlocked.Increment(ref _rejected);
        environment[OwinKeys.ResponseStatusCode] = BoxedStatus.ServiceUnavailable;
        if (environment.TryGetValue(OwinKeys.ResponseHeaders, out var value) && value is IDictionary<string, string[]> headers)
        {
            headers["Retry-After"] = new[] { _retryAfter };
            headers["Content-Length"] = new[] { "0" };
            headers["Cache-Control"] = new[] { HealthAnswer.CacheControl };
        }

        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastLoggedTimestamp);
        if ((last == 0 || now - last >= LogInterval.TotalSeconds * Stopwatch.Frequency) && Interlocked.CompareExchange(ref _lastLoggedTimestamp, now, last) == last)
        {
            var since = rejected - Interlocked.Exchange(ref _rejectedWhenLogged, rejected);
            AppLimitLog.Saturated(_logger, MaxConcurrentRequests, since);
        }
    }
}

/// <summary>The log message of <see cref="AppConcurrencyLimitMiddleware"/>.</summary>
internal static class AppLimitLog
{
    private static readonly Action<ILogger, int, long, Exception?> SaturatedMessage =
        LoggerMessage.Define<int, long>(
            LogLevel.Warning,
            new EventId(40, "AppSaturated"),
            "The app's {MaxConcurrentRequests} concurrent requests are all running; {Rejected} request(s) answered 503 since the last report (health paths are not affected).");

    public static void Saturated(ILogger logger, int maxConcurrentRequests, long rejected) => SaturatedMessage(logger, maxConcurrentRequests, rejected, null);
}
