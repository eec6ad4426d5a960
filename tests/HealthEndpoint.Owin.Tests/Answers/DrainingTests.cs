using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>Once the host begins draining, readiness and status answer 503 without running checks; liveness stays 200.</summary>
[TestFixture]
public sealed class DrainingTests
{
    [TestCase("/healthz/status", "application/json", """{"checks":{"shutdown":"fail"},"status":"fail"}""")]
    [TestCase("/healthz/status/database", "application/json", """{"checks":{"shutdown":"fail"},"status":"fail"}""")]
    [TestCase("/readyz", "text/plain; charset=utf-8", "[-]shutdown fail\nreadyz check failed\n")]
    public async Task Invoke_ReadinessWhileDraining_503WithoutRunningChecks(string path, string contentType, string body)
    {
        var runs = 0;
        var options = ProbeFixture.AllOn();
        options.Database = _ =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        };
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var before = await ProbeFixture.SendAsync(middleware, "GET", path);

        options.Lifecycle.BeginDraining();
        var during = await ProbeFixture.SendAsync(middleware, "GET", path);

        Assert.That(before.StatusCode(), Is.EqualTo(200), "the control: ready before draining");
        Assert.That(during.StatusCode(), Is.EqualTo(503));
        Assert.That(during.ResponseHeader("Content-Type"), Is.EqualTo(contentType));
        Assert.That(during.ResponseBodyText(), Is.EqualTo(body));
        Assert.That(runs, Is.EqualTo(1), "only the request before draining ran the check");
    }

    [TestCase("/healthz/ping", "pong")]
    [TestCase("/livez", "ok")]
    [TestCase("/startupz", "ok")]
    public async Task Invoke_LivenessWhileDraining_Stays200(string path, string body)
    {
        var options = ProbeFixture.AllOn();
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        options.Lifecycle.BeginDraining();
        var environment = await ProbeFixture.SendAsync(middleware, "GET", path);

        Assert.That(environment.StatusCode(), Is.EqualTo(200));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo(body));
    }

    [Test]
    public async Task Invoke_StatusWhileDrainingWithDefaultOptions_503()
    {
        var options = new HealthEndpointOptions { Database = ProbeFixture.Check("ok") };
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        options.Lifecycle.BeginDraining();
        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status");

        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"shutdown":"fail"},"status":"fail"}"""));
    }
}
