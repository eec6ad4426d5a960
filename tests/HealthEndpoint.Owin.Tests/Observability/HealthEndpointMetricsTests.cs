using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// Each metric, as a <see cref="System.Diagnostics.Metrics.MeterListener"/> sees it after real status runs through
/// the middleware. The database check against a real PostgreSQL is in <see cref="DatabaseHealthCheckTests"/>.
/// </summary>
[TestFixture]
public sealed class HealthEndpointMetricsTests
{
    private const string Duration = "healthendpoint.check.duration";
    private const string State = "healthendpoint.check.state";
    private const string Runs = "healthendpoint.status.runs";
    private const string Requests = "healthendpoint.requests";
    private const string Abandoned = "healthendpoint.check.abandoned";

    [Test]
    public async Task CheckDuration_SlowAndFailingChecks_OneMeasurementPerCheckPerRunWithNameAndOutcome()
    {
        var options = Options();
        options.Checks.Add(new NamedHealthCheck("slow", token => Task.Delay(200, token)));
        options.Checks.Add(new NamedHealthCheck("broken", _ => throw new InvalidOperationException("down")));
        options.StatusCacheDuration = TimeSpan.FromMinutes(1);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);

        Assert.That(await StatusAsync(middleware), Is.EqualTo(503));
        Assert.That(await StatusAsync(middleware), Is.EqualTo(503), "a cached answer records no duration");

        var durations = metrics.Of(Duration);
        Assert.That(
            durations.Select(measurement => (measurement.Tag(HealthEndpointMetrics.CheckNameTag), measurement.Tag(HealthEndpointMetrics.CheckOutcomeTag))),
            Is.EquivalentTo(new object[] { ("slow", "ok"), ("broken", "fail") }));
        var slow = durations.Single(measurement => Equals(measurement.Tag(HealthEndpointMetrics.CheckNameTag), "slow")).Value;
        Assert.That(slow, Is.GreaterThanOrEqualTo(0.19).And.LessThan(5), "seconds, at least the check's own delay");
    }

    [Test]
    public async Task CheckState_OkThenFailing_GaugeFollowsLastRunAndSkipsUnconfiguredChecks()
    {
        var failing = false;
        var options = Options(database: _ => failing ? Task.FromException(new InvalidOperationException("down")) : Task.CompletedTask);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);

        Assert.That(metrics.Observe(State), Is.Empty, "control: no series before any run");
        await StatusAsync(middleware);
        var ok = metrics.Observe(State);
        failing = true;
        await StatusAsync(middleware);
        var failed = metrics.Observe(State);

        Assert.That(ok.Select(measurement => (measurement.Tag(HealthEndpointMetrics.CheckNameTag), measurement.Value)), Is.EqualTo(new[] { ((object?)"database", 1.0) }));
        Assert.That(failed.Select(measurement => (measurement.Tag(HealthEndpointMetrics.CheckNameTag), measurement.Value)), Is.EqualTo(new[] { ((object?)"database", 0.0) }));
    }

    [Test]
    public async Task StatusRuns_SecondRequestWithinCacheWindow_CountsOneStartedOneCached()
    {
        var options = Options(database: _ => Task.CompletedTask);
        options.StatusCacheDuration = TimeSpan.FromMinutes(1);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);

        await StatusAsync(middleware);
        await StatusAsync(middleware);

        Assert.That(
            (metrics.Sum(Runs, HealthEndpointMetrics.RunResultTag, "started"), metrics.Sum(Runs, HealthEndpointMetrics.RunResultTag, "cached"), metrics.Sum(Runs, HealthEndpointMetrics.RunResultTag, "joined")),
            Is.EqualTo((1.0, 1.0, 0.0)));
    }

    [Test]
    public async Task StatusRuns_ConcurrentRequestsDuringRun_CountOneStartedAndTheRestJoined()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = new CountingCheck(() => gate.Task);
        var options = Options(database: check.Invoke);
        options.CheckTimeout = TimeSpan.FromSeconds(30);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);

        var requests = Enumerable.Range(0, 20).Select(_ => Task.Run(() => StatusAsync(middleware))).ToArray();
        await Poll.UntilAsync(
            () => Task.FromResult(metrics.Of(Runs).Count == 20), TimeSpan.FromSeconds(10), "every request has its report task");
        gate.SetResult();
        var codes = await Task.WhenAll(requests);

        Assert.That(codes, Is.All.EqualTo(200));
        Assert.That(check.Started, Is.EqualTo(1));
        Assert.That(
            (metrics.Sum(Runs, HealthEndpointMetrics.RunResultTag, "started"), metrics.Sum(Runs, HealthEndpointMetrics.RunResultTag, "joined")),
            Is.EqualTo((1.0, 19.0)));
    }

    [Test]
    public async Task CheckAbandoned_CheckHangsPastDeadline_CountsOneUntilItEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(database: _ => Task.CompletedTask);
        options.Checks.Add(new NamedHealthCheck("hung", _ => release.Task));
        options.CheckTimeout = TimeSpan.FromMilliseconds(200);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);

        Assert.That(await StatusAsync(middleware), Is.EqualTo(503));
        var whileHung = AbandonedByCheck(metrics);
        release.SetResult();
        await Poll.UntilAsync(() => Task.FromResult(AbandonedByCheck(metrics)["hung"] == 0), TimeSpan.FromSeconds(5), "the abandoned operation ended");

        Assert.That(whileHung, Is.EquivalentTo(new[] { KeyValue("database", 0), KeyValue("hung", 1) }), "redis is not configured: no series");
        Assert.That(metrics.Of(Duration).Single(measurement => Equals(measurement.Tag(HealthEndpointMetrics.CheckNameTag), "hung")).Value, Is.GreaterThanOrEqualTo(0.19));
    }

    [TestCase("GET", "/healthz/ping", "ping", 200)]
    [TestCase("GET", "/healthz/status", "status", 200)]
    [TestCase("HEAD", "/healthz/status", "status", 200)]
    [TestCase("POST", "/healthz/ping", "ping", 405)]
    [TestCase("GET", "/healthz/status/nosuchcheck", "status", 404)]
    [TestCase("GET", "/livez", "live", 200)]
    [TestCase("GET", "/readyz", "ready", 200)]
    [TestCase("GET", "/startupz", "startup", 503)]
    public async Task Requests_HealthRequest_CountedByRouteAndStatusCode(string method, string path, string route, int statusCode)
    {
        var options = Options(database: _ => Task.CompletedTask);
        options.LivePath = "/livez";
        options.ReadyPath = "/readyz";
        options.StartupPath = "/startupz";
        options.PerCheckPaths = true;
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);
        var environment = OwinEnvironment.Create(method, path);

        await middleware.Invoke(environment);

        Assert.That(environment.StatusCode(), Is.EqualTo(statusCode), "control: the answer itself");
        Assert.That(
            metrics.Of(Requests).Select(measurement => (measurement.Value, measurement.Tag(HealthEndpointMetrics.RouteTag), measurement.Tag(HealthEndpointMetrics.StatusCodeTag))),
            Is.EqualTo(new[] { (1.0, (object?)route, (object?)statusCode) }));
    }

    [Test]
    public async Task Requests_ClientOutsideAllowedNetworks_Counted404()
    {
        var options = Options();
        options.AllowedNetworks.Add("10.0.0.0/8");
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);

        Assert.That(await StatusAsync(middleware), Is.EqualTo(404));
        Assert.That(metrics.Sum(Requests, HealthEndpointMetrics.StatusCodeTag, 404), Is.EqualTo(1));
        Assert.That(metrics.Of(Runs), Is.Empty, "no run for a refused client");
    }

    [Test]
    public async Task Requests_AppRequest_NotCountedAndAppCalled()
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, Options());
        using var metrics = new MetricRecorder(middleware.Metrics.Meter);

        await middleware.Invoke(OwinEnvironment.Create("GET", "/orders"));
        await middleware.Invoke(OwinEnvironment.Create("GET", "/healthz/ping"));

        Assert.That(app.Calls, Is.EqualTo(1));
        Assert.That(metrics.Of(Requests).Select(measurement => measurement.Tag(HealthEndpointMetrics.RouteTag)), Is.EqualTo(new[] { "ping" }), "control: ping is counted");
    }

    [Test]
    public async Task Meter_ListenerOnAnotherMiddlewaresMeter_SeesNothingOfThisOne()
    {
        var measured = new HealthEndpointMiddleware(new RecordingApp().Invoke, Options(database: _ => Task.CompletedTask));
        var other = new HealthEndpointMiddleware(new RecordingApp().Invoke, Options(database: _ => Task.CompletedTask));
        using var own = new MetricRecorder(measured.Metrics.Meter);
        using var foreign = new MetricRecorder(other.Metrics.Meter);

        await StatusAsync(measured);

        Assert.That(measured.Metrics.Meter.Name, Is.EqualTo(other.Metrics.Meter.Name).And.EqualTo("HealthEndpoint.Owin"));
        Assert.That(own.Of(Requests), Has.Count.EqualTo(1), "control: the own listener sees the request");
        Assert.That(foreign.Of(Requests).Concat(foreign.Of(Runs)).Concat(foreign.Of(Duration)), Is.Empty);
        Assert.That(foreign.Observe(State), Is.Empty);
    }

    private static Dictionary<string, double> AbandonedByCheck(MetricRecorder metrics) =>
        metrics.Observe(Abandoned).ToDictionary(measurement => (string)measurement.Tag(HealthEndpointMetrics.CheckNameTag)!, measurement => measurement.Value);

    private static KeyValuePair<string, double> KeyValue(string key, double value) => new(key, value);

    private static HealthEndpointOptions Options(HealthCheck? database = null) => new()
    {
        Database = database,
        CheckTimeout = TimeSpan.FromSeconds(5),
        StatusCacheDuration = TimeSpan.Zero,
    };

    private static async Task<int> StatusAsync(HealthEndpointMiddleware middleware)
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        return environment.StatusCode();
    }
}
