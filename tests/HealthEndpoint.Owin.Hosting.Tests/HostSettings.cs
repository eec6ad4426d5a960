using System;
using System.Collections.Generic;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Host.Kestrel;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>The server options both hosts share, as a test sets them; <see cref="TestServer"/> maps them onto each host's options.</summary>
internal sealed class HostSettings
{
    /// <summary>The port the server is about to listen on; set before the server is created, so callbacks can use it.</summary>
    public int Port { get; set; }

    public TimeSpan? ShutdownTimeout { get; set; }

    public TimeSpan DrainDelay { get; set; }

    public Action? OnStarted { get; set; }

    public Action? OnDraining { get; set; }

    /// <summary>
    /// The paths of further prefixes, each on a free port of its own (<see cref="TestServer.Ports"/> lists them after
    /// the first prefix's port), for a server that listens on several ports.
    /// </summary>
    public IList<string> MorePrefixPaths { get; } = new List<string>();

    /// <summary>
    /// The largest request body both hosts accept (each host's MaxRequestBodySize); null leaves each host's default.
    /// </summary>
    public long? MaxRequestBodySize { get; set; }

    /// <summary>Changes to the HttpListener host's own options; ignored on Kestrel.</summary>
    public Action<HttpListenerOwinServerOptions>? HttpListener { get; set; }

    /// <summary>Changes to the Kestrel host's own options (limits); ignored on HttpListener.</summary>
    public Action<KestrelOwinServerOptions>? Kestrel { get; set; }
}
