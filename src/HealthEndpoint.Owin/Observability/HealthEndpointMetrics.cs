using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// The health endpoint's metrics (README, "Metrics"): one <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <c>HealthEndpoint.Owin</c> per middleware, recorded by the runner, the check slots and the middleware.
/// </summary>
/// <remarks>
/// One meter per middleware instance, not a static one: the observable instruments read this instance's checks,
/// and a listener can tell two middlewares in one process apart by <see cref="Meter"/> (tests run in parallel).
/// Nobody listening costs a field read per call: instruments with no listener drop measurements, and the request
/// counter is not even consulted then. The pass-through path never comes here.
/// </remarks>
internal sealed class HealthEndpointMetrics
{
    public const string MeterName = HealthEndpointMiddleware.MeterName;
    public const string CheckNameTag = "healthendpoint.check.name";
    public const string CheckOutcomeTag = "healthendpoint.check.outcome";
    public const string RunResultTag = "healthendpoint.run.result";
    public const string RouteTag = "healthendpoint.route";
    public const string StatusCodeTag = "http.response.status_code";

    private const int NeverRun = -1;

#pragma warning disable CA2263 // The generic Enum.GetValues is not in netstandard2.0.
    private static readonly string[] RouteNames = Array.ConvertAll(
        (HealthRouteKind[])Enum.GetValues(typeof(HealthRouteKind)), kind => kind.ToString().ToLowerInvariant());
#pragma warning restore CA2263

    private readonly Histogram<double> _checkDuration;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _requests;
    private readonly CheckSlot[] _slots;

    // Per slot: 1 = the last run said ok, 0 = fail, NeverRun = no series yet.
    private readonly int[] _states;

    public HealthEndpointMetrics(IReadOnlyList<CheckSlot> slots)
    {
        _slots = new CheckSlot[slots.Count];
        _states = new int[slots.Count];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = slots[i];
            _states[i] = NeverRun;
        }

        Meter = new Meter(MeterName, typeof(HealthEndpointMetrics).Assembly.GetName().Version?.ToString());
        _checkDuration = Meter.CreateHistogram<double>(
            "healthendpoint.check.duration", "s", "How long each check took in a status run (until its deadline when it missed it).");
        Meter.CreateObservableGauge(
            "healthendpoint.check.state", ObserveStates, "{state}", "1 when the check's last run said ok, 0 when it said fail.");
        _runs = Meter.CreateCounter<long>(
            "healthendpoint.status.runs", "{run}", "Status answers by how they got their report: a new run started, a fresh one reused, or one in progress joined.");
        _requests = Meter.CreateCounter<long>(
            "healthendpoint.requests", "{request}", "Health requests answered, by route and status code.");
        Meter.CreateObservableUpDownCounter(
            "healthendpoint.check.abandoned", ObserveAbandoned, "{operation}", "Check operations past their deadline that are still running.");
    }

    /// <summary>This middleware's meter; listeners (and tests) tell instances apart by it.</summary>
    public Meter Meter { get; }

    /// <summary>A new check run started.</summary>
    public void RunStarted() => _runs.Add(1, new KeyValuePair<string, object?>(RunResultTag, "started"));

    /// <summary>A status request got an existing run: a finished fresh one (cached) or one in progress (joined).</summary>
    public void RunReused(Task run)
    {
        // Cached status answers are the hot path: nothing is built for a counter that nobody listens to.
        if (_runs.Enabled)
        {
            _runs.Add(1, new KeyValuePair<string, object?>(RunResultTag, run.IsCompleted ? "cached" : "joined"));
        }
    }

    /// <summary>A check's outcome in a run is known: one duration measurement, and the state the gauge reports.</summary>
    public void CheckFinished(string name, CheckOutcome outcome, TimeSpan elapsed)
    {
        for (var i = 0; i < _slots.Length && outcome != CheckOutcome.Skipped; i++)
        {
            if (_slots[i].Name == name)
            {
                Volatile.Write(ref _states[i], outcome == CheckOutcome.Ok ? 1 : 0);
                break;
            }
        }

        if (_checkDuration.Enabled && outcome != CheckOutcome.Skipped)
        {
            _checkDuration.Record(
                elapsed.TotalSeconds,
                new KeyValuePair<string, object?>(CheckNameTag, name),
                new KeyValuePair<string, object?>(CheckOutcomeTag, outcome == CheckOutcome.Ok ? "ok" : "fail"));
        }
    }

    /// <summary>Whether anyone listens to the request counter; when not, answers are not wrapped at all.</summary>
    public bool CountsRequests => _requests.Enabled;

    /// <summary>Counts a health answer of <paramref name="route"/> with its boxed status code (callers check <see cref="CountsRequests"/> first).</summary>
    public void Answered(HealthRouteKind route, object statusCode) =>
        _requests.Add(
            1,
            new KeyValuePair<string, object?>(RouteTag, RouteName(route)),
            new KeyValuePair<string, object?>(StatusCodeTag, statusCode));

    /// <summary>The route tag's value for a matched route: its kind in lower case, so a new route is tagged by itself.</summary>
    /// <remarks>A 404 for an unknown check is counted under <c>status</c>, the path it hangs under.</remarks>
    public static string RouteName(HealthRouteKind route) =>
        route == HealthRouteKind.UnknownCheck ? RouteNames[(int)HealthRouteKind.Status] : RouteNames[(int)route];

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            var state = Volatile.Read(ref _states[i]);
            if (state != NeverRun)
            {
                yield return new Measurement<int>(state, new KeyValuePair<string, object?>(CheckNameTag, _slots[i].Name));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveAbandoned()
    {
        foreach (var slot in _slots)
        {
            if (slot.IsConfigured)
            {
                yield return new Measurement<long>(slot.AbandonedOperations, new KeyValuePair<string, object?>(CheckNameTag, slot.Name));
            }
        }
    }
}
