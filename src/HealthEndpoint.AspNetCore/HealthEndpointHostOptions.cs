using System;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore;

/// <summary>How the health endpoint joins an ASP.NET Core app: which of its health checks run, and how it stops.</summary>
/// <remarks>
/// The paths, checks and limits themselves are the <see cref="HealthEndpoint.Owin.HealthEndpointOptions"/> a Katana
/// app sets, unchanged; these two settings exist only because an ASP.NET Core app brings its own checks and its own
/// graceful stop.
/// </remarks>
public sealed class HealthEndpointHostOptions
{
    /// <summary>
    /// Which of the app's <c>AddHealthChecks()</c> registrations the endpoint runs, for example
    /// <c>r =&gt; r.Tags.Contains("ready")</c>: the shape of <c>HealthCheckOptions.Predicate</c> in
    /// <c>MapHealthChecks</c>. <see langword="null"/> (default) = every registration.
    /// </summary>
    public Func<HealthCheckRegistration, bool>? Predicate { get; set; }

    /// <summary>
    /// How long a graceful stop waits, after <c>ApplicationStopping</c> has turned status and readiness to 503, before
    /// the server stops listening: the time a load balancer needs to see the 503 and send traffic elsewhere.
    /// Default zero; must not be negative.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;
}
