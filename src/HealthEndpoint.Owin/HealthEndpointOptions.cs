using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Owin.HealthEndpoint;

/// <summary>Settings for <see cref="HealthEndpointMiddleware"/>.</summary>
/// <remarks>
/// The middleware validates these once, when it is created, and copies what it needs: changing the options
/// afterwards has no effect. Invalid values throw <see cref="HealthEndpointConfigurationException"/> naming
/// every bad setting.
/// </remarks>
public sealed class HealthEndpointOptions
{
    /// <summary>The liveness path. Default <c>/healthz/ping</c>.</summary>
    /// <remarks>
    /// Matched against <c>owin.RequestPath</c> only, case-insensitively, with one optional trailing slash.
    /// Must start with <c>/</c>, name at least one segment, and differ from <see cref="StatusPath"/>.
    /// </remarks>
    public string PingPath { get; set; } = "/healthz/ping";

    /// <summary>The dependency-status path. Default <c>/healthz/status</c>. Matched like <see cref="PingPath"/>.</summary>
    public string StatusPath { get; set; } = "/healthz/status";

    /// <summary>The hard deadline for each check. Default 2 seconds; must be positive.</summary>
    /// <remarks>
    /// It holds even when a driver ignores cancellation: the runner stops waiting, reports <c>fail</c>, and
    /// starts no second operation against that dependency until the abandoned one has ended.
    /// </remarks>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a finished check run is reused. Default 1 second; zero disables reuse.</summary>
    /// <remarks>
    /// A run in which a check failed is reused for a quarter of this, so that recovery shows sooner.
    /// Concurrent status requests always share one run, whatever this is set to.
    /// </remarks>
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The <c>database</c> check, or <see langword="null"/> to report it <c>skipped</c>.</summary>
    /// <remarks>Typically <c>new DatabaseHealthCheck(connectionFactory).CheckAsync</c>.</remarks>
    public HealthCheck? Database { get; set; }

    /// <summary>The <c>redis</c> check, or <see langword="null"/> to report it <c>skipped</c>.</summary>
    /// <remarks>Typically <c>RedisHealthCheck.CheckAsync</c> from the HealthEndpoint.Owin.Redis package.</remarks>
    public HealthCheck? Redis { get; set; }

    /// <summary>Further named checks, reported beside <c>database</c> and <c>redis</c>.</summary>
    public IList<HealthCheckRegistration> Checks { get; } = new List<HealthCheckRegistration>();

    /// <summary>Where check failures are written, at error level, with the exception. Default: nowhere.</summary>
    /// <remarks>Failure details go here and only here; the HTTP response carries fixed tokens.</remarks>
    public ILogger Logger { get; set; } = NullLogger.Instance;
}
