using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthEndpoint.Owin;

/// <summary>Settings for <see cref="HealthEndpointMiddleware"/>.</summary>
/// <remarks>
/// The middleware validates these once, when it is created, and copies what it needs: changing the options
/// afterwards has no effect. Invalid values throw <see cref="HealthEndpointConfigurationException"/> naming
/// every bad setting.
/// </remarks>
public sealed class HealthEndpointOptions
{
    /// <summary>The liveness path. Default <c>/healthz/ping</c>.</summary>
    /// <remarks>
    /// Matched against <c>owin.RequestPath</c> only, case-insensitively, with one optional trailing slash.
    /// Must start with <c>/</c>, name at least one segment, and differ from <see cref="StatusPath"/>.
    /// </remarks>
    public string PingPath { get; set; } = "/healthz/ping";

    /// <summary>The dependency-status path. Default <c>/healthz/status</c>. Matched like <see cref="PingPath"/>.</summary>
    public string StatusPath { get; set; } = "/healthz/status";

    /// <summary>The Kubernetes-style liveness path, for example <c>/livez</c>; <see langword="null"/> (default) = off.</summary>
    /// <remarks>Ping semantics: 200 <c>ok</c> while the process answers, no I/O.</remarks>
    public string? LivePath { get; set; }

    /// <summary>The Kubernetes-style readiness path, for example <c>/readyz</c>; <see langword="null"/> (default) = off.</summary>
    /// <remarks>Status semantics (the same shared check run, 200 or 503), with a plain-text body: <c>ok</c> or a list.</remarks>
    public string? ReadyPath { get; set; }

    /// <summary>The Kubernetes-style startup path, for example <c>/startupz</c>; <see langword="null"/> (default) = off.</summary>
    /// <remarks>
    /// 503 <c>[-]started fail</c> until the host has started, then 200: a host that follows the
    /// <c>host.OnAppDisposing</c> convention reports it with its first health request; others call
    /// <see cref="HealthEndpointLifecycle.MarkStarted"/> on <see cref="Lifecycle"/>.
    /// </remarks>
    public string? StartupPath { get; set; }

    /// <summary>The metrics path, for example <c>/metrics</c>; <see langword="null"/> (default) = off.</summary>
    /// <remarks>
    /// Answered with <see cref="MetricsPage"/> (required when this is set), in front of the app like every health
    /// path: the same allowlist, GET and HEAD only, never a session.
    /// </remarks>
    public string? MetricsPath { get; set; }

    /// <summary>Renders the page at <see cref="MetricsPath"/>, for example the HealthEndpoint.Owin.Prometheus package's.</summary>
    public MetricsPage? MetricsPage { get; set; }

    /// <summary>Answers <c>&lt;StatusPath&gt;/&lt;check&gt;</c> and <c>&lt;ReadyPath&gt;/&lt;check&gt;</c> for each check. Default off.</summary>
    /// <remarks>An unknown check name under those paths gets 404 with an empty body.</remarks>
    public bool PerCheckPaths { get; set; }

    /// <summary>Honours <c>?verbose</c> and <c>?exclude=&lt;check&gt;</c> on the status and probe paths. Default off.</summary>
    /// <remarks>Off, the query string is ignored: the default answers never depend on it.</remarks>
    public bool ProbeQueries { get; set; }

    /// <summary>Answers <c>application/health+json</c> (IETF draft) to requests whose <c>Accept</c> asks for it. Default off.</summary>
    public bool HealthJson { get; set; }

    /// <summary>CIDR ranges (<c>10.0.0.0/8</c>, <c>::1</c>) whose clients may use the health paths. Default empty = everyone.</summary>
    /// <remarks>
    /// GitLab's model: any other client gets 404 with an empty body, on every health path, whatever the method. The
    /// client is <c>server.RemoteIpAddress</c>, or the <c>X-Forwarded-For</c> entry a trusted proxy added (see
    /// <see cref="TrustedProxies"/>). Host bits must be zero: <c>10.0.0.1/8</c> is an error, not <c>10.0.0.0/8</c>.
    /// </remarks>
    public IList<string> AllowedNetworks { get; } = new List<string>();

    /// <summary>CIDR ranges of the reverse proxies whose <c>X-Forwarded-For</c> is believed. Default empty = none.</summary>
    /// <remarks>Only used with <see cref="AllowedNetworks"/>; an untrusted peer's <c>X-Forwarded-For</c> is never read.</remarks>
    public IList<string> TrustedProxies { get; } = new List<string>();

    /// <summary>Where the host reports that it has started and that it is draining.</summary>
    /// <remarks>
    /// Hosts that put <c>host.OnAppDisposing</c> in the request environment report both through it.
    /// While draining, the status and readiness paths answer 503 without running checks; ping and liveness stay 200.
    /// </remarks>
    public HealthEndpointLifecycle Lifecycle { get; internal set; } = new HealthEndpointLifecycle();

    /// <summary>The hard deadline for each check. Default 2 seconds; must be positive.</summary>
    /// <remarks>
    /// It holds even when a driver ignores cancellation: the runner stops waiting, reports <c>fail</c>, and
    /// starts no second operation against that dependency until the abandoned one has ended.
    /// </remarks>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a finished check run is reused. Default 1 second; zero disables reuse.</summary>
    /// <remarks>
    /// A run in which a check failed is reused for a twentieth of this (50 ms by default), so that recovery shows
    /// within a poll or two; against a dependency that hangs, a new run joins the operation still running instead
    /// of starting another, so no more than one operation per dependency is ever outstanding.
    /// Concurrent status requests always share one run, whatever this is set to.
    /// </remarks>
    public TimeSpan StatusCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The <c>database</c> check, or <see langword="null"/> to report it <c>skipped</c>.</summary>
    /// <remarks>Typically <c>new DatabaseHealthCheck(connectionFactory).CheckAsync</c>.</remarks>
    public HealthCheck? Database { get; set; }

    /// <summary>The <c>redis</c> check, or <see langword="null"/> to report it <c>skipped</c>.</summary>
    /// <remarks>Typically <c>RedisHealthCheck.CheckAsync</c> from the HealthEndpoint.Owin.Redis package.</remarks>
    public HealthCheck? Redis { get; set; }

    /// <summary>Further named checks, reported beside <c>database</c> and <c>redis</c>.</summary>
    public IList<NamedHealthCheck> Checks { get; } = new List<NamedHealthCheck>();

    /// <summary>
    /// Where check failures are logged, once per change of state rather than per run. Default: nowhere.
    /// </summary>
    /// <remarks>
    /// A check that starts failing logs one error line: its name and elapsed time with the exception's type and
    /// message, or its name and deadline when it timed out. While it keeps failing, at most one warning a minute
    /// names the last failure; a recovery is one information line with the outage's length. No error or warning
    /// entry carries the exception object: the full exception, stack trace included, is a separate debug entry.
    /// Failure details go here and only here; the HTTP response carries fixed tokens.
    /// </remarks>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>
    /// Checks these options as the middleware will; throws one exception listing <paramref name="problemsFound"/>,
    /// then every invalid setting here (for code that reads options from configuration and reports both at once).
    /// </summary>
    /// <param name="keyPrefix">Put before each setting's name, e.g. <c>HealthEndpoint:</c> for configuration keys.</param>
    /// <param name="problemsFound">The caller's problems so far: each a key and a sentence that starts with it.</param>
    /// <exception cref="HealthEndpointConfigurationException">A problem was found; the message names every key.</exception>
    public void Validate(string keyPrefix, IEnumerable<KeyValuePair<string, string>> problemsFound) =>
        OptionsValidator.Validate(this, keyPrefix ?? throw new ArgumentNullException(nameof(keyPrefix)), problemsFound ?? throw new ArgumentNullException(nameof(problemsFound)));

    /// <summary>The clock the state-change log decides by; internal so that tests can use fake time.</summary>
    internal MonotonicClock Clock { get; set; } = MonotonicClock.System;

    /// <summary>
    /// Every exact health path with its setting's name and its route, <see langword="null"/> when off: the one list
    /// the validator checks and the router matches. A new path is a property, a line here, and its answer in
    /// <see cref="HealthResponder"/>.
    /// </summary>
    internal (string Setting, string? Path, HealthRouteKind Kind)[] ExactPaths() =>
    [
        (nameof(PingPath), PingPath, HealthRouteKind.Ping),
        (nameof(StatusPath), StatusPath, HealthRouteKind.Status),
        (nameof(LivePath), LivePath, HealthRouteKind.Live),
        (nameof(ReadyPath), ReadyPath, HealthRouteKind.Ready),
        (nameof(StartupPath), StartupPath, HealthRouteKind.Startup),
        (nameof(MetricsPath), MetricsPath, HealthRouteKind.Metrics),
    ];
}
