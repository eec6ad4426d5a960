using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint;

using Outcomes = IReadOnlyList<KeyValuePair<string, CheckOutcome>>;

/// <summary>Answers a matched GET or HEAD health request in the format and with the checks it asks for.</summary>
/// <remarks>
/// The RT answers (ping's <c>pong</c>, status's cached JSON bytes) are written as they are; only the opt-in
/// features (a per-check path, <c>?exclude</c>, <c>?verbose</c>, health+json, the Kubernetes-style probes)
/// render a body per request. While the host drains, status and readiness answer 503 without running checks.
/// </remarks>
internal sealed class ProbeResponder
{
    /// <summary>The pseudo-check reported as <c>fail</c> while the host drains; no registered check may use it.</summary>
    public const string ShutdownCheckName = "shutdown";

    private static readonly Outcomes NoChecks = Array.Empty<KeyValuePair<string, CheckOutcome>>();
    private static readonly Outcomes Alive = [new("ping", CheckOutcome.Ok)];
    private static readonly Outcomes Started = [new("started", CheckOutcome.Ok)];
    private static readonly Outcomes NotStarted = [new("started", CheckOutcome.Fail)];
    private static readonly Outcomes Draining = [new(ShutdownCheckName, CheckOutcome.Fail)];

    private readonly HealthCheckRunner _runner;
    private readonly HealthEndpointLifecycle _lifecycle;
    private readonly HostAppDisposing _hostProperties;
    private readonly bool _probeQueries;
    private readonly bool _healthJson;
    private readonly string _liveName;
    private readonly string _readyName;
    private readonly string _startupName;

    public ProbeResponder(HealthCheckRunner runner, HealthEndpointOptions options, HostAppDisposing hostProperties)
    {
        _runner = runner;
        _lifecycle = options.Lifecycle;
        _hostProperties = hostProperties;
        _probeQueries = options.ProbeQueries;
        _healthJson = options.HealthJson;
        _liveName = LastSegment(options.LivePath);
        _readyName = LastSegment(options.ReadyPath);
        _startupName = LastSegment(options.StartupPath);
    }

    public Task AnswerAsync(IDictionary<string, object> environment, HealthRoute route, bool includeBody)
    {
        var healthJson = _healthJson && AcceptHeader.PrefersHealthJson(environment);
        var query = _probeQueries ? ProbeQuery.Parse(environment) : ProbeQuery.Empty;
        switch (route.Kind)
        {
            case HealthRouteKind.Ping:
                return healthJson
                    ? Write(environment, route, NoChecks, healthy: true, query, healthJson, includeBody)
                    : HealthResponses.WritePingAsync(environment, includeBody);
            case HealthRouteKind.Live:
                return Write(environment, route, Alive, healthy: true, query, healthJson, includeBody);
            case HealthRouteKind.Startup:
                _lifecycle.Observe(environment, _hostProperties);
                var started = _lifecycle.HasStarted;
                return Write(environment, route, started ? Started : NotStarted, started, query, healthJson, includeBody);
        }

        _lifecycle.Observe(environment, _hostProperties);
        if (_lifecycle.IsDraining)
        {
            return Write(environment, route, Draining, healthy: false, query, healthJson, includeBody);
        }

        var report = _runner.GetReportAsync();
        return report.IsCompleted
            ? WriteReport(environment, route, report.Result, query, healthJson, includeBody)
            : WriteReportAsync(environment, route, report, query, healthJson, includeBody);
    }

    private async Task WriteReportAsync(
        IDictionary<string, object> environment, HealthRoute route, Task<StatusReport> report, ProbeQuery query, bool healthJson, bool includeBody)
    {
        var finished = await report.ConfigureAwait(false);
        await WriteReport(environment, route, finished, query, healthJson, includeBody).ConfigureAwait(false);
    }

    private Task WriteReport(
        IDictionary<string, object> environment, HealthRoute route, StatusReport report, ProbeQuery query, bool healthJson, bool includeBody)
    {
        if (route.Kind == HealthRouteKind.Status && route.Check is null && query.Excluded.Count == 0 && !healthJson)
        {
            return HealthResponses.WriteStatusAsync(environment, report, includeBody);
        }

        var selected = Select(report.Checks, route.Check, query);
        return Write(environment, route, selected, StatusJson.IsHealthy(selected), query, healthJson, includeBody);
    }

    private Task Write(
        IDictionary<string, object> environment, HealthRoute route, Outcomes checks, bool healthy, ProbeQuery query, bool healthJson, bool includeBody)
    {
        if (healthJson)
        {
            return HealthResponses.WriteAsync(environment, healthy, AcceptHeader.HealthJsonMediaType, HealthJsonBody.Encode(checks, healthy), includeBody);
        }

        if (route.Kind == HealthRouteKind.Status)
        {
            return HealthResponses.WriteAsync(environment, healthy, "application/json", StatusJson.EncodeBody(checks, healthy), includeBody);
        }

        var probe = route.Kind switch
        {
            HealthRouteKind.Live => _liveName,
            HealthRouteKind.Startup => _startupName,
            _ => _readyName,
        };
        var body = ProbeTextBody.Encode(probe, checks, healthy, query.Verbose);
        return HealthResponses.WriteAsync(environment, healthy, "text/plain; charset=utf-8", body, includeBody);
    }

    // One check for a per-check path; otherwise every check, with the excluded ones reported as skipped.
    private static List<KeyValuePair<string, CheckOutcome>> Select(Outcomes checks, string? only, ProbeQuery query)
    {
        var selected = new List<KeyValuePair<string, CheckOutcome>>(checks.Count);
        foreach (var check in checks)
        {
            if (only is not null && check.Key != only)
            {
                continue;
            }

            selected.Add(query.Excludes(check.Key) ? new KeyValuePair<string, CheckOutcome>(check.Key, CheckOutcome.Skipped) : check);
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
