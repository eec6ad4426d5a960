using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

using Results = IReadOnlyList<CheckResult>;

/// <summary>Decides the answer to a matched health request: 404, 405, the metrics page, or which checks, in which format, healthy or not.</summary>
/// <remarks>
/// It reads nothing but the <see cref="HealthRequest"/> and returns a <see cref="HealthAnswer"/>, so any adapter can
/// write it. The compact answers (ping's <c>pong</c>, status's document encoded once per run) are returned as they
/// are; only the opt-in features (a per-check path, <c>?exclude</c>, <c>?verbose</c>, health+json,
/// livez/readyz/startupz) render a body per request. While the host drains, status and readiness answer 503 without
/// running checks.
/// </remarks>
internal sealed class HealthResponder
{
    private static readonly HealthAnswer Pong = new(200, HealthAnswer.Text, Encoding.ASCII.GetBytes("pong"));
    private static readonly Results NoChecks = Array.Empty<CheckResult>();
    private static readonly Results Alive = [new(CheckNames.Ping, CheckOutcome.Ok)];
    private static readonly Results Started = [new(CheckNames.Started, CheckOutcome.Ok)];
    private static readonly Results NotStarted = [new(CheckNames.Started, CheckOutcome.Fail)];
    private static readonly Results Draining = [new(CheckNames.Shutdown, CheckOutcome.Fail)];

    private readonly HealthCheckRunner _runner;
    private readonly HealthEndpointLifecycle _lifecycle;
    private readonly CancellationToken? _startupToken;
    private readonly ClientAccessPolicy? _access;
    private readonly MetricsResponder? _metricsPage;
    private readonly string _liveName;
    private readonly string _readyName;
    private readonly string _startupName;

    /// <param name="options">The validated options: the lifecycle, the allowlist, the metrics page and the probe paths' names.</param>
    /// <param name="runner">The status run's single source.</param>
    /// <param name="startupToken">
    /// <c>host.OnAppDisposing</c> from the startup properties, for a host that does not put it in each request;
    /// its cancellation begins draining at once.
    /// </param>
    public HealthResponder(HealthEndpointOptions options, HealthCheckRunner runner, CancellationToken? startupToken)
    {
        _runner = runner;
        _lifecycle = options.Lifecycle;
        _startupToken = startupToken;
        if (startupToken is { } token)
        {
            _lifecycle.Follow(token);
        }

        if (options.AllowedNetworks.Count > 0)
        {
            _access = new ClientAccessPolicy(
                OptionsValidator.ParseNetworks(options.AllowedNetworks), OptionsValidator.ParseNetworks(options.TrustedProxies));
        }

        _metricsPage = options.MetricsPath is null ? null : new MetricsResponder(options.MetricsPage!, options.Logger);
        _liveName = LastSegment(options.LivePath);
        _readyName = LastSegment(options.ReadyPath);
        _startupName = LastSegment(options.StartupPath);
    }

    /// <summary>The answer to <paramref name="request"/>; <see cref="HealthAnswer.NotMine"/> when its route is none.</summary>
    /// <param name="request">The request, as read where it entered.</param>
    /// <param name="later">
    /// When the answer has to wait (a run still working, the metrics page rendering): the task that completes with it.
    /// </param>
    /// <returns>The answer, or <see langword="null"/> when it comes <paramref name="later"/>.</returns>
    /// <remarks>
    /// Not a <c>ValueTask</c>: nearly every answer is known at once, and handing it back through one was measured
    /// 4 ns slower on the cached status path (benchmarks/HealthEndpoint.Owin.Compare).
    /// </remarks>
    public HealthAnswer? Answer(in HealthRequest request, out Task<HealthAnswer>? later)
    {
        later = null;
        var kind = request.Route.Kind;
        if (kind == HealthRouteKind.None)
        {
            return HealthAnswer.NotMine;
        }

        // Others learn nothing, not even which paths exist or which methods they take (GitLab's model).
        if (kind == HealthRouteKind.UnknownCheck || (_access is not null && !_access.Allows(request.RemoteAddress, request.ForwardedFor)))
        {
            return HealthAnswer.NotFound;
        }

        if (!request.IsGetOrHead)
        {
            return HealthAnswer.MethodNotAllowed;
        }

        switch (kind)
        {
            case HealthRouteKind.Metrics:
                later = _metricsPage!.AnswerAsync(request.Cancelled);
                return null;
            case HealthRouteKind.Ping:
                return request.Format == HealthFormat.Compact
                    ? Pong
                    : Render(request, NoChecks, healthy: true);
            case HealthRouteKind.Live:
                return Render(request, Alive, healthy: true);
        }

        // Startup, status, readiness and per-check answers depend on the host's state.
        var host = request.AppDisposing is { } appDisposing ? _lifecycle.Observe(appDisposing)
            : _startupToken is { } startupToken ? _lifecycle.Observe(startupToken) : _lifecycle.State;
        if (kind == HealthRouteKind.Startup)
        {
            var started = host != HostState.Starting;
            return Render(request, started ? Started : NotStarted, started);
        }

        if (host == HostState.Draining)
        {
            return Render(request, Draining, healthy: false);
        }

        var run = _runner.GetRunAsync();
        if (!run.IsCompleted)
        {
            later = AnswerWhenRunAsync(request, run);
            return null;
        }

        // The answer a load balancer asks for most, at once: the whole run, compact, nothing excluded.
        var finished = run.Result;
        return IsWholeCompactStatus(request) ? finished.StatusAnswer : Answer(request, finished);
    }

    private static bool IsWholeCompactStatus(in HealthRequest request) =>
        request.Format == HealthFormat.Compact && request.Route.Check is null && request.Query?.ExcludesAny != true;

    private async Task<HealthAnswer> AnswerWhenRunAsync(HealthRequest request, Task<CheckRun> run) =>
        Answer(request, await run.ConfigureAwait(false));

    private HealthAnswer Answer(in HealthRequest request, CheckRun run)
    {
        if (IsWholeCompactStatus(request))
        {
            return run.StatusAnswer;
        }

        var selected = Select(run.Checks, request.Route.Check, request.Query);
        return Render(request, selected, CheckRun.IsHealthy(selected));
    }

    private HealthAnswer Render(in HealthRequest request, Results checks, bool healthy)
    {
        var (contentType, body) = request.Format switch
        {
            HealthFormat.HealthJson => (AcceptHeader.HealthJsonMediaType, HealthJsonBody.Encode(checks, healthy)),
            HealthFormat.Compact => (HealthAnswer.Json, StatusJson.Encode(checks, healthy)),
            _ => (HealthAnswer.Text, KubernetesTextBody.Encode(TextName(request.Route.Kind), checks, healthy, request.Query?.Verbose == true)),
        };
        return HealthAnswer.Rendered(healthy, contentType, body);
    }

    private string TextName(HealthRouteKind kind) => kind switch
    {
        HealthRouteKind.Live => _liveName,
        HealthRouteKind.Startup => _startupName,
        _ => _readyName,
    };

    // One check for a per-check path; otherwise every check, with the excluded ones reported as skipped.
    private static List<CheckResult> Select(Results checks, string? only, HealthQuery? query)
    {
        var selected = new List<CheckResult>(checks.Count);
        foreach (var check in checks)
        {
            if (only is not null && check.Name != only)
            {
                continue;
            }

            selected.Add(query is not null && query.Excludes(check.Name) ? check.AsSkipped() : check);
        }

        return selected;
    }

    private static string LastSegment(string? path)
    {
        if (path is null)
        {
            return string.Empty;
        }

        var normalized = HealthRouter.Normalize(path);
        return normalized.Substring(normalized.LastIndexOf('/') + 1);
    }
}
