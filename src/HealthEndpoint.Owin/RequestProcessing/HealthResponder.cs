using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

using Results = IReadOnlyList<CheckResult>;

/// <summary>Decides the answer to a matched GET or HEAD health request: which checks, in which format, healthy or not.</summary>
/// <remarks>
/// The compact answers (ping's <c>pong</c>, status's document encoded once per run) are written as they are; only the
/// opt-in features (a per-check path, <c>?exclude</c>, <c>?verbose</c>, health+json, livez/readyz/startupz) render a
/// body per request. While the host drains, status and readiness answer 503 without running checks.
/// <see cref="ResponseWriter"/> writes every answer.
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
    private readonly HostSignal _host;
    private readonly bool _healthJson;
    private readonly bool _queries;
    private readonly string _liveName;
    private readonly string _readyName;
    private readonly string _startupName;

    public HealthResponder(HealthCheckRunner runner, HealthEndpointOptions options, HostSignal host)
    {
        _runner = runner;
        _host = host;
        _healthJson = options.HealthJson;
        _queries = options.ProbeQueries;
        _liveName = LastSegment(options.LivePath);
        _readyName = LastSegment(options.ReadyPath);
        _startupName = LastSegment(options.StartupPath);
    }

    public Task AnswerAsync(IDictionary<string, object> environment, HealthRoute route, bool includeBody)
    {
        var request = HealthRequest.Read(environment, route, includeBody, _healthJson, _queries);
        switch (route.Kind)
        {
            case HealthRouteKind.Ping:
                return request.Format == HealthFormat.Compact
                    ? ResponseWriter.WritePingAsync(environment, includeBody)
                    : Write(environment, request, NoChecks, healthy: true);
            case HealthRouteKind.Live:
                return Write(environment, request, Alive, healthy: true);
        }

        // Startup, status, readiness and per-check answers depend on the host's state.
        _host.Observe(environment);
        var lifecycle = _host.Lifecycle;
        if (route.Kind == HealthRouteKind.Startup)
        {
            var started = lifecycle.HasStarted;
            return Write(environment, request, started ? Started : NotStarted, started);
        }

        if (lifecycle.IsDraining)
        {
            return Write(environment, request, Draining, healthy: false);
        }

        var run = _runner.GetRunAsync();
        return run.IsCompleted
            ? WriteRun(environment, request, run.Result)
            : WriteRunAsync(environment, request, run);
    }

    private async Task WriteRunAsync(IDictionary<string, object> environment, HealthRequest request, Task<CheckRun> run)
    {
        var finished = await run.ConfigureAwait(false);
        await WriteRun(environment, request, finished).ConfigureAwait(false);
    }

    private Task WriteRun(IDictionary<string, object> environment, in HealthRequest request, CheckRun run)
    {
        // The answer a load balancer asks for most: the run's body, encoded once and shared by every answer that reuses the run.
        if (request.IsWholeCompactStatus)
        {
            return ResponseWriter.WriteStatusAsync(environment, _statusBodies.For(run), request.IncludeBody);
        }

        var selected = Select(run.Checks, request.Route.Check, request.Query);
        return Write(environment, request, selected, CheckRun.IsHealthy(selected));
    }

    private Task Write(IDictionary<string, object> environment, in HealthRequest request, Results checks, bool healthy)
    {
        var (contentType, body) = request.Format switch
        {
            HealthFormat.HealthJson => (AcceptHeader.HealthJsonMediaType, HealthJsonBody.Encode(checks, healthy)),
            HealthFormat.Compact => ("application/json", StatusJson.Encode(checks, healthy)),
            _ => ("text/plain; charset=utf-8", KubernetesTextBody.Encode(TextName(request.Route.Kind), checks, healthy, request.Query.Verbose)),
        };
        return ResponseWriter.WriteAsync(environment, healthy, contentType, body, request.IncludeBody);
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
