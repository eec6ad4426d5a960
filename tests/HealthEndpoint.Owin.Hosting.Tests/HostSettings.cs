using System;

namespace Owin.HealthEndpoint.Hosting.Tests;

/// <summary>The server options both hosts share, as a test sets them; <see cref="TestServer"/> maps them onto each host's options.</summary>
internal sealed class HostSettings
{
    public TimeSpan? ShutdownTimeout { get; set; }

    public TimeSpan DrainDelay { get; set; }

    public Action? OnStarted { get; set; }

    public Action? OnDraining { get; set; }
}
