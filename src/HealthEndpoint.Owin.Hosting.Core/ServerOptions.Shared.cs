using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// The options both hosts have, declared once: this part is compiled into OwinServerOptions in the HttpListener host
// and into KestrelOwinServerOptions in the Kestrel host (which defines KESTREL_HOST). Each host's own file adds its
// transport's settings. One file for two namespaces needs block-scoped ones.
#pragma warning disable IDE0161
#if KESTREL_HOST
namespace HealthEndpoint.Owin.Host.Kestrel
{
    public sealed partial class KestrelOwinServerOptions
#else
namespace HealthEndpoint.Owin.Host.HttpListener
{
    public sealed partial class OwinServerOptions
#endif
    {
        /// <summary>
        /// The URL prefixes to listen on, each ending in <c>/</c>, for example <c>http://127.0.0.1:5080/</c>. The path
        /// of a prefix becomes <c>owin.RequestPathBase</c>; a request whose path lies under no prefix of the port it
        /// came in on is answered 404 by the host.
        /// </summary>
        public IList<string> Prefixes { get; } = new List<string>();

        /// <summary>
        /// How long a graceful stop keeps serving, after <see cref="OnDraining"/>, before it stops accepting requests.
        /// Default zero.
        /// </summary>
        /// <remarks>
        /// Load balancers and Kubernetes notice a failing readiness probe only at their next probe; serving through
        /// the delay lets them move traffic away before connections are refused. Set it above the probe interval.
        /// </remarks>
        public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;

        /// <summary>Called once, when the server has started listening.</summary>
        /// <remarks>
        /// The health endpoint does not need it: it learns of the start from <c>host.OnAppDisposing</c> in the requests.
        /// It is for other code that wants to know.
        /// </remarks>
        public Action? OnStarted { get; set; }

        /// <summary>Called once, when a graceful stop begins, before <see cref="DrainDelay"/>, after <c>host.OnAppDisposing</c> is cancelled.</summary>
        /// <remarks>The health endpoint does not need it; it reads the cancelled <c>host.OnAppDisposing</c>.</remarks>
        public Action? OnDraining { get; set; }

        /// <summary>How long a graceful stop waits for in-flight requests before cancelling them. Default 10 seconds.</summary>
        public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Responses up to this size get an exact Content-Length; larger ones are streamed. Default 64 KiB.</summary>
        public int ResponseBufferSize { get; set; } = 64 * 1024;

        /// <summary>
        /// Where app failures, clients' bad request bodies (information level) and server errors are logged; the
        /// Kestrel host adds Kestrel's own messages from warning level up. Default: nowhere.
        /// </summary>
        public ILogger Logger { get; set; } = NullLogger.Instance;

        /// <summary>Checks the options both hosts share.</summary>
        /// <exception cref="ArgumentException">No prefix, a negative size or delay, or no logger.</exception>
        internal void CheckShared()
        {
            if (Prefixes.Count == 0)
            {
                throw new ArgumentException("At least one prefix is required, for example http://127.0.0.1:5080/.", "options");
            }

            if (ResponseBufferSize < 0 || DrainDelay < TimeSpan.Zero || ShutdownTimeout < TimeSpan.Zero)
            {
                throw new ArgumentException("ResponseBufferSize, DrainDelay and ShutdownTimeout must not be negative.", "options");
            }

            if (Logger is null)
            {
                throw new ArgumentException("Logger must not be null.", "options");
            }
        }
    }
}
