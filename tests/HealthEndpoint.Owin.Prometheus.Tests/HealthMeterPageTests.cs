using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Prometheus.Tests;

/// <summary>The real HealthEndpoint.Owin meter through the middleware's metrics path: the agreed series names.</summary>
/// <remarks>Only this fixture creates middlewares in this assembly, so the process-wide meter name is this test's alone.</remarks>
[TestFixture]
public sealed class HealthMeterPageTests
{
    [Test]
    public async Task MetricsPath_AfterAStatusRun_ShowsStateDurationRunsAndRequests()
    {
        using var page = new PrometheusMetricsPage();
        var app = new RecordingApp();
        var options = new HealthEndpointOptions { MetricsPath = "/metrics", MetricsPage = page, Database = _ => Task.CompletedTask };
        var middleware = new HealthEndpointMiddleware(app.Invoke, options);

        var before = await GetAsync(middleware, "/metrics");
        var status = await GetAsync(middleware, "/healthz/status");
        var after = await GetAsync(middleware, "/metrics");

        Assert.That(status.StatusCode(), Is.EqualTo(200));
        Assert.That(before.ResponseBodyText(), Does.Not.Contain("healthendpoint_check_state{"), "control: no state before a run");
        var text = after.ResponseBodyText();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("healthendpoint_check_state{healthendpoint_check_name=\"database\"} 1\n"));
            Assert.That(text, Does.Contain("healthendpoint_check_duration_seconds_count{healthendpoint_check_name=\"database\",healthendpoint_check_outcome=\"ok\"} 1\n"));
            Assert.That(text, Does.Contain("healthendpoint_status_runs_total{healthendpoint_run_result=\"started\"} 1\n"));
            Assert.That(text, Does.Contain("healthendpoint_requests_total{healthendpoint_route=\"status\",http_response_status_code=\"200\"} 1\n"));
            Assert.That(text, Does.Contain("healthendpoint_requests_total{healthendpoint_route=\"metrics\",http_response_status_code=\"200\"} 1\n"));
            Assert.That(text, Does.Contain("healthendpoint_check_abandoned{healthendpoint_check_name=\"database\"} 0\n"));
            Assert.That(app.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task MetricsPath_FailingCheck_StateZeroAndFailOutcome()
    {
        using var page = new PrometheusMetricsPage();
        var options = new HealthEndpointOptions
        {
            MetricsPath = "/metrics",
            MetricsPage = page,
            Redis = _ => Task.FromException(new System.InvalidOperationException("down")),
        };
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var status = await GetAsync(middleware, "/healthz/status");
        var text = (await GetAsync(middleware, "/metrics")).ResponseBodyText();

        Assert.That(status.StatusCode(), Is.EqualTo(503));
        Assert.That(text, Does.Contain("healthendpoint_check_state{healthendpoint_check_name=\"redis\"} 0\n"));
        Assert.That(text, Does.Contain("healthendpoint_check_duration_seconds_count{healthendpoint_check_name=\"redis\",healthendpoint_check_outcome=\"fail\"} 1\n"));
        Assert.That(text, Does.Not.Contain("down"));
    }

    private static async Task<IDictionary<string, object>> GetAsync(HealthEndpointMiddleware middleware, string path)
    {
        var environment = OwinEnvironment.Create("GET", path);
        await middleware.Invoke(environment);
        return environment;
    }
}
