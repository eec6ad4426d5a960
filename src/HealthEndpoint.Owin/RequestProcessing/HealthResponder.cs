using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

using Results = IReadOnlyList<CheckResult>;

/// <summary>Answers a matched GET or HEAD health request in the format and with the checks it asks for.</summary>
/// <remarks>
/// The RT answers (ping's <c>pong</c>, status's JSON encoded once per run) are written as they are; only the
/// opt-in features (a per-check path, <c>?exclude</c>, <c>?verbose</c>, health+json, livez/readyz/startupz)
/// render a body per request. While the host drains, status and readiness answer 503 without running checks.
/// </remarks>
internal sealed class HealthResponder
{
    private static readonly Results NoChecks = Array.Empty<CheckResult>();
    private static readonly Results Alive = [new(CheckNames.Ping, CheckOutcome.Ok)];
    private static readonly Results Started = [new(CheckNames.Started, CheckOutcome.Ok)];
    private static readonly Results NotStarted = [new(CheckNames.Started, CheckOutcome.Fail)];
    private static readonly Results Draining = [new(CheckNames.Shutdown, CheckOutcome.Fail)];

    private readonly HealthCheckRunner _runner;
    private readonly StatusBody.Cache _statusBodies = new();
    private readonly HealthEndpointLifecycle _lifecycle;
    private readonly HostAppDisposing _hostProperties;
    private readonly string _liveName;
    private readonly string _readyName;
    private readonly string _startupName;

    public HealthResponder(HealthCheckRunner runner, HealthEndpointOptions options, HostAppDisposing hostProperties)
    {
        _runner = runner;
        _lifecycle = options.Lifecycle;
        _hostProperties = hostProperties;
        _liveName = LastSegment(options.LivePath);
        _readyName = LastSegment(options.ReadyPath);
        _startupName = LastSegment(options.StartupPath);
    }

    public Task AnswerAsync(IDictionary<string, object> environment, in HealthRequest request)
    {
        switch (request.Route.Kind)
        {
            case HealthRouteKind.Ping:
                return request.Format == HealthFormat.Rt
                    ? HealthResponses.WritePingAsync(environment, request.IncludeBody)
                    : Write(environment, request, NoChecks, healthy: true);
            case HealthRouteKind.Live:
                return Write(environment, request, Alive, healthy: true);
            case HealthRouteKind.Startup:
                _lifecycle.Observe(environment, _hostProperties);
                var started = _lifecycle.HasStarted;
                return Write(environment, request, started ? Started : NotStarted, started);
        }

        _lifecycle.Observe(environment, _hostProperties);
        if (_lifecycle.IsDraining)
        {
            return Write(environment, request, Draining, healthy: false);
        }

        var run = _runner.GetRunAsync();
        return run.IsCompleted
            ? WriteRun(environment, request, run.Result)
            : WriteRunAsync(environment, request, run);
    }

    /// <summary>
    /// The RT status with nothing to negotiate or select (health+json and queries off, no per-check path): the
    /// run's body as it is, without a <see cref="HealthRequest"/> — the answer a load balancer asks for most.
    /// </summary>
    public Task AnswerStatusAsync(IDictionary<string, object> environment, bool includeBody)
    {
        _lifecycle.Observe(environment, _hostProperties);
        if (_lifecycle.IsDraining)
        {
            var request = HealthRequest.Read(environment, HealthRoute.Status, includeBody, healthJsonOn: false, queriesOn: false);
            return Write(environment, request, Draining, healthy: false);
        }

        var run = _runner.GetRunAsync();
        return run.IsCompleted
            ? HealthResponses.WriteStatusAsync(environment, _statusBodies.For(run.Result), includeBody)
            : WriteStatusAsync(environment, run, includeBody);
    }

    private async Task WriteStatusAsync(IDictionary<string, object> environment, Task<CheckRun> run, bool includeBody)
    {
        var finished = await run.ConfigureAwait(false);
        await HealthResponses.WriteStatusAsync(environment, _statusBodies.For(finished), includeBody).ConfigureAwait(false);
    }

    private async Task WriteRunAsync(IDictionary<string, object> environment, HealthRequest request, Task<CheckRun> run)
    {
        var finished = await run.ConfigureAwait(false);
        await WriteRun(environment, request, finished).ConfigureAwait(false);
    }

    private Task WriteRun(IDictionary<string, object> environment, in HealthRequest request, CheckRun run)
    {
        // The RT status answer: the run's body, encoded once and shared by every answer that reuses the run.
        if (request.Format == HealthFormat.Rt && request.Route.Check is null && !request.Query.ExcludesAny)
        {
            return HealthResponses.WriteStatusAsync(environment, _statusBodies.For(run), request.IncludeBody);
        }

        var selected = Select(run.Checks, request.Route.Check, request.Query);
        return Write(environment, request, selected, CheckRun.IsHealthy(selected));
    }

    private Task Write(IDictionary<string, object> environment, in HealthRequest request, Results checks, bool healthy)
    {
        var (contentType, body) = request.Format switch
        {
            HealthFormat.HealthJson => (AcceptHeader.HealthJsonMediaType, HealthJsonBody.Encode(checks, healthy)),
            HealthFormat.Rt => ("application/json", StatusJson.Encode(checks, healthy)),
            _ => ("text/plain; charset=utf-8", KubernetesTextBody.Encode(TextName(request.Route.Kind), checks, healthy, request.Query.Verbose)),
        };
        return HealthResponses.WriteAsync(environment, healthy, contentType, body, request.IncludeBody);
    }

    private string TextName(HealthRouteKind kind) => kind switch
    {
        HealthRouteKind.Live => _liveName,
        HealthRouteKind.Startup => _startupName,
        _ => _readyName,
    };

    // One check for a per-check path; otherwise every check, with the excluded ones reported as skipped.
    private static List<CheckResult> Select(Results checks, string? only, HealthQuery query)
    {
        var selected = new List<CheckResult>(checks.Count);
        foreach (var check in checks)
        {
            if (only is not null && check.Name != only)
            {
                continue;
            }

            selected.Add(query.Excludes(check.Name) ? check.AsSkipped() : check);
        }

        return selected;
    }

    private static string LastSegment(string? path)
    {
        if (path is null)
        {
            return string.Empty;
        }

        var normalized = HealthPath.Normalize(path);
        return normalized.Substring(normalized.LastIndexOf('/') + 1);
    }
}
