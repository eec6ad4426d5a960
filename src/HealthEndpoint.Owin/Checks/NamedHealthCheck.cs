using System;

namespace HealthEndpoint.Owin;

/// <summary>A custom check with the name it reports under in the status body.</summary>
/// <remarks>
/// Not called <c>HealthCheckRegistration</c>: that is ASP.NET Core's type
/// (<c>Microsoft.Extensions.Diagnostics.HealthChecks</c>), and an app importing both namespaces would not compile.
/// </remarks>
public sealed class NamedHealthCheck
{
    /// <summary>Names a check.</summary>
    /// <param name="name">
    /// The key in the status body's <c>checks</c> object: lowercase <c>[a-z0-9_.-]+</c>, unique, and neither
    /// <c>database</c> nor <c>redis</c>. Validated when the middleware is created.
    /// </param>
    /// <param name="check">The probe to run.</param>
    public NamedHealthCheck(string name, HealthCheck check)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Check = check ?? throw new ArgumentNullException(nameof(check));
    }

    /// <summary>The key this check reports under.</summary>
    public string Name { get; }

    /// <summary>The probe to run.</summary>
    public HealthCheck Check { get; }
}
