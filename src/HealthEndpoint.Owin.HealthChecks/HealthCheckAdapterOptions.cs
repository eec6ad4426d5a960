using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.HealthChecks;

/// <summary>How an ASP.NET Core <c>IHealthCheck</c>'s result maps onto <c>ok</c> and <c>fail</c>.</summary>
public sealed class HealthCheckAdapterOptions
{
    /// <summary>
    /// When true, a <c>Degraded</c> result reports <c>fail</c>; by default it reports <c>ok</c>, as ASP.NET Core's
    /// own endpoint answers 200 for <c>Degraded</c>.
    /// </summary>
    public bool FailOnDegraded { get; set; }

    /// <summary>
    /// The timeout the check sees in <c>HealthCheckContext.Registration.Timeout</c>. <see langword="null"/> (the
    /// default) means the endpoint's <see cref="HealthEndpointOptions.CheckTimeout"/> when registered with
    /// <see cref="HealthEndpointOptionsExtensions.AddHealthCheck"/>.
    /// </summary>
    /// <remarks>Informational for the check: the runner's deadline holds whatever the check does with it.</remarks>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The tags the check sees in <c>HealthCheckContext.Registration.Tags</c>; none by default.</summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>
    /// Where a <c>Degraded</c> result that reports <c>ok</c> is logged (a warning when the check becomes degraded,
    /// an information line when it stops being degraded). <see langword="null"/> (the default) means the
    /// endpoint's <see cref="HealthEndpointOptions.Logger"/> when registered with
    /// <see cref="HealthEndpointOptionsExtensions.AddHealthCheck"/>. Failures are logged by the runner.
    /// </summary>
    public ILogger? Logger { get; set; }
}
