using System;

namespace Owin.HealthEndpoint;

/// <summary>A custom check with the name it reports under in the status body.</summary>
public sealed class HealthCheckRegistration
{
    /// <summary>Creates a registration.</summary>
    /// <param name="name">
    /// The key in the status body's <c>checks</c> object: lowercase <c>[a-z0-9_.-]+</c>, unique, and neither
    /// <c>database</c> nor <c>redis</c>. Validated when the middleware is created.
    /// </param>
    /// <param name="check">The probe to run.</param>
    public HealthCheckRegistration(string name, HealthCheck check)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Check = check ?? throw new ArgumentNullException(nameof(check));
    }

    /// <summary>The key this check reports under.</summary>
    public string Name { get; }

    /// <summary>The probe to run.</summary>
    public HealthCheck Check { get; }
}
