using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Owin.HealthEndpoint.Hosting;

/// <summary>Settings for <see cref="OwinServer"/>.</summary>
public sealed class OwinServerOptions
{
    /// <summary>
    /// The HttpListener prefixes to listen on, each ending in <c>/</c>, for example <c>http://localhost:5080/</c>.
    /// The path of a prefix becomes <c>owin.RequestPathBase</c>.
    /// </summary>
    public IList<string> Prefixes { get; } = new List<string>();

    /// <summary>At most this many requests run at once; further ones wait to be accepted. Default 1024.</summary>
    public int MaxConcurrentRequests { get; set; } = 1024;

    /// <summary>How many accept loops wait for requests. Default: one per processor, at least two.</summary>
    public int AcceptLoops { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How long a graceful stop waits for in-flight requests before cancelling them. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Responses up to this size get an exact Content-Length; larger ones are streamed. Default 64 KiB.</summary>
    public int ResponseBufferSize { get; set; } = 64 * 1024;

    /// <summary>Where app exceptions and server errors are logged. Default: nowhere.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;
}
