using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// OWIN middleware that answers the ping and status paths (and the opt-in livez, readyz, startupz and per-check paths) itself, without calling
/// the app it wraps, and passes every other request to that app untouched.
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
    private readonly ClientAccessPolicy? _access;
    private readonly MetricsResponder? _metricsResponder;
    private readonly HealthEndpointMetrics _metrics;

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
        var slots = new List<CheckSlot>
        {
            new(CheckNames.Database, options.Database),
            new(CheckNames.Redis, options.Redis),
        };
        foreach (var registration in options.Checks)
        {
            slots.Add(new CheckSlot(registration.Name, registration.Check));
        }

        _router = new HealthRouter(options, slots.ConvertAll(slot => slot.Name));
        _metrics = new HealthEndpointMetrics(slots);
        _runner = new HealthCheckRunner(slots, options.CheckTimeout, options.StatusCacheDuration, options.Logger, _metrics, options.Clock);
        _responder = new HealthResponder(_runner, options, new HostSignal(hostProperties, options.Lifecycle));
        _metricsResponder = options.MetricsPath is null ? null : new MetricsResponder(options.MetricsPage!, options.Logger);
        if (options.AllowedNetworks.Count > 0)
        {
            _access = new ClientAccessPolicy(
                OptionsValidator.ParseNetworks(options.AllowedNetworks), OptionsValidator.ParseNetworks(options.TrustedProxies));
        }
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

    /// <summary>Answers a health request, or calls the wrapped app with the same environment.</summary>
    /// <param name="environment">The OWIN environment of the request.</param>
    /// <returns>The task of the health response, or the wrapped app's own task.</returns>
    public Task Invoke(IDictionary<string, object> environment)
    {
        // The pass-through path is synchronous and allocation-free, and awaits nothing before the app runs:
        // under System.Web an early await would move the legacy app off its HttpContext.
        if (environment.TryGetValue(OwinKeys.RequestPath, out var value) && value is string path)
        {
            var route = _router.Match(path);
            if (route.Kind != HealthRouteKind.None)
            {
                return Answer(environment, route);
            }
        }

        return _next(environment);
    }

    /// <summary>This middleware's metrics; tests listen to its <see cref="HealthEndpointMetrics.Meter"/>.</summary>
    internal HealthEndpointMetrics Metrics => _metrics;

    // Counted only while someone listens: with nobody listening the answer is returned as it is, no call made.
    private Task Answer(IDictionary<string, object> environment, HealthRoute route)
    {
        var answer = Respond(environment, route);
        return _metrics.CountsRequests ? _metrics.Answered(answer, environment, route.Kind) : answer;
    }

    private Task Respond(IDictionary<string, object> environment, HealthRoute route)
    {
        // Others learn nothing, not even which paths exist or which methods they take (GitLab's model).
        if (route.Kind == HealthRouteKind.UnknownCheck || (_access is not null && !_access.Allows(environment)))
        {
            return ResponseWriter.WriteNotFoundAsync(environment);
        }

        // HTTP methods are case-sensitive (RFC 9110 section 9.1): "get" is not GET, and gets 405 like any other.
        var method = environment.TryGetValue(OwinKeys.RequestMethod, out var value) ? value as string : null;
        if (method != "GET" && method != "HEAD")
        {
            return ResponseWriter.WriteMethodNotAllowedAsync(environment);
        }

        var includeBody = method == "GET";
        return route.Kind == HealthRouteKind.Metrics
            ? _metricsResponder!.AnswerAsync(environment, includeBody)
            : _responder.AnswerAsync(environment, route, includeBody);
    }
}
