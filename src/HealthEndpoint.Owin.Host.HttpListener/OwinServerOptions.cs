using System;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>Settings for <see cref="OwinServer"/>: its request bound; the prefixes, the stop and the log are in the part both hosts share.</summary>
/// <remarks>
/// Prefixes are HttpListener's: <c>http://0.0.0.0:port/</c> is served as <c>http://+:port/</c> (every IPv4 address);
/// IPv6 literals are refused on Linux and macOS.
/// </remarks>
public sealed partial class OwinServerOptions
{
    /// <summary>
    /// At most this many requests run at once; further ones wait to be accepted. Default: derived from the
    /// open-file limit by the Kestrel host's rule for its connection cap (the limit less the descriptors already
    /// open less a reserve of an eighth of it, at least 256: about 620 for 1,024); 1,024 where there is no such
    /// limit (Windows).
    /// </summary>
    /// <remarks>
    /// Health requests count here too, so keep this above the app's own bound
    /// (<c>AppConcurrencyLimitMiddleware</c>, composed inside the health endpoint): then requests stuck in the app
    /// can never take every slot, and ping and status are still accepted.
    /// </remarks>
    public int MaxConcurrentRequests { get; set; } = OpenFileLimit.RequestCap(OpenFileLimit.Read(), OpenFileLimit.CountOpen() ?? 0);

    /// <summary>How many accept loops wait for requests. Default: one per processor, at least two.</summary>
    public int AcceptLoops { get; set; } = Math.Max(2, Environment.ProcessorCount);
}
