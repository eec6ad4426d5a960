using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// OWIN middleware that answers the ping and status paths (and the opt-in livez, readyz, startupz, per-check and
/// metrics paths) itself, without calling the app it wraps, and passes every other request to that app untouched.
/// </summary>
/// <remarks>
/// It follows the OWIN middleware-class convention, so a Katana app adds it with
/// <c>app.Use(typeof(HealthEndpointMiddleware), options, app.Properties)</c>; this library does not reference
/// Owin.dll. <see cref="Wrap(AppFunc, HealthEndpointOptions)"/> is the same thing for code that composes
/// <c>AppFunc</c>s by hand. Hosts report their start and graceful stop through <c>host.OnAppDisposing</c>, in each
/// request or in the startup properties; a host without it calls <see cref="HealthEndpointOptions.Lifecycle"/>.
/// </remarks>
public sealed partial class HealthEndpointMiddleware
{
    /// <summary>
    /// The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the endpoint measures its checks and answers
    /// with: what an OpenTelemetry or Prometheus exporter listens to (docs/observability.md).
    /// </summary>
    public const string MeterName = "HealthEndpoint.Owin";

    private readonly AppFunc _next;
    private readonly HealthRouter _router;
    private readonly HealthResponder _responder;
    private readonly HealthCheckRunner _runner;
    private readonly HealthEndpointMetrics _metrics;
    private readonly bool _readsAccept;
    private readonly bool _readsQuery;
    private readonly bool _readsClient;

    /// <summary>Creates the middleware, validating and copying <paramref name="options"/>.</summary>
    /// <param name="next">The app to call for every request that is not a health request.</param>
    /// <param name="options">The paths, checks and limits.</param>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names it.</exception>
    public HealthEndpointMiddleware(AppFunc next, HealthEndpointOptions options)
        : this(next, options, hostProperties: null)
    {
    }

    /// <summary>
    /// Creates the middleware for a host that signals its stop in the startup properties only
    /// (Katana: <c>app.Use(typeof(HealthEndpointMiddleware), options, app.Properties)</c>).
    /// </summary>
    /// <param name="next">The app to call for every request that is not a health request.</param>
    /// <param name="options">The paths, checks and limits.</param>
    /// <param name="hostProperties">
    /// The host's startup properties; when they hold <c>host.OnAppDisposing</c>, its cancellation
    /// begins draining and the first health request counts as the host's start. <see langword="null"/> = none.
    /// </param>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names it.</exception>
    public HealthEndpointMiddleware(AppFunc next, HealthEndpointOptions options, IDictionary<string, object>? hostProperties)
    {
        _next = next ?? throw new ArgumentNullException(nameof(next));
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        OptionsValidator.Validate(options, nameof(HealthEndpointOptions) + ".");
        var slots = CheckSlot.ForOptions(options);
        _router = new HealthRouter(options, slots.ConvertAll(slot => slot.Name));
        _metrics = new HealthEndpointMetrics(slots);
        _runner = new HealthCheckRunner(slots, options.CheckTimeout, options.StatusCacheDuration, options.Logger, _metrics, options.Clock);
        var startupToken = hostProperties is not null && hostProperties.TryGetValue(OwinKeys.HostOnAppDisposing, out var value)
            && value is CancellationToken token ? token : (CancellationToken?)null;
        _responder = new HealthResponder(options, _runner, startupToken);
        _readsAccept = options.HealthJson;
        _readsQuery = options.ProbeQueries;
        _readsClient = options.AllowedNetworks.Count > 0;
    }

    /// <summary>
    /// Returns an app that answers the health paths itself and passes every other request to
    /// <paramref name="app"/> untouched: the middleware for code that composes <c>AppFunc</c>s by hand.
    /// </summary>
    /// <param name="app">The app to protect from health probes.</param>
    /// <param name="options">The paths, checks and limits; validated and copied now.</param>
    /// <returns>The wrapped app.</returns>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names it.</exception>
    public static AppFunc Wrap(AppFunc app, HealthEndpointOptions options) => new HealthEndpointMiddleware(app, options).Invoke;

    /// <summary>This middleware's metrics; tests listen to its <see cref="HealthEndpointMetrics.Meter"/>.</summary>
    internal HealthEndpointMetrics Metrics => _metrics;
}
