using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Metrics;

/// <summary>The metrics path seam: answered in front of the app like every health path, rendered by the page.</summary>
[TestFixture]
public sealed class MetricsPathTests
{
    private RecordingApp _app = null!;
    private TextMetricsPage _page = null!;

    [SetUp]
    public void SetUp()
    {
        _app = new RecordingApp();
        _page = new TextMetricsPage();
    }

    [TestCase("/metrics")]
    [TestCase("/METRICS/")]
    public async Task Invoke_MetricsGet_WritesThePageWithoutCallingTheApp(string path)
    {
        var environment = await SendAsync(Create(), "GET", path);

        Assert.Multiple(() =>
        {
            Assert.That(environment.StatusCode(), Is.EqualTo(200));
            Assert.That(environment.ResponseBodyText(), Is.EqualTo(TextMetricsPage.Text));
            Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo(_page.ContentType));
            Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo("21"));
            Assert.That(environment.ResponseHeader("Cache-Control"), Is.EqualTo("no-store, no-cache"));
            Assert.That(environment.ResponseHeader("Set-Cookie"), Is.Null);
            Assert.That(_app.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task Invoke_MetricsHead_SameHeadersAsGetAndNoBody()
    {
        var middleware = Create();
        var get = await SendAsync(middleware, "GET", "/metrics");
        var head = await SendAsync(middleware, "HEAD", "/metrics");

        Assert.That(head.StatusCode(), Is.EqualTo(200));
        Assert.That(head.ResponseBodyBytes(), Is.Empty);
        Assert.That(head.ResponseHeaders(), Is.EquivalentTo(get.ResponseHeaders()));
        Assert.That(_app.Calls, Is.Zero);
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    [TestCase("get")]
    public async Task Invoke_MetricsOtherMethod_405WithAllowAndNoRender(string method)
    {
        var environment = await SendAsync(Create(), method, "/metrics");

        Assert.That(environment.StatusCode(), Is.EqualTo(405));
        Assert.That(environment.ResponseHeader("Allow"), Is.EqualTo("GET, HEAD"));
        Assert.That(environment.ResponseBodyBytes(), Is.Empty);
        Assert.That(_page.Renders, Is.Zero);
        Assert.That(_app.Calls, Is.Zero);
    }

    [TestCase("10.1.2.3", 200)]
    [TestCase("203.0.113.5", 404)]
    public async Task Invoke_MetricsFromClient_AllowedOr404(string peer, int expected)
    {
        var options = Options();
        options.AllowedNetworks.Add("10.1.0.0/16");
        var environment = OwinEnvironment.Create("GET", "/metrics");
        environment["server.RemoteIpAddress"] = peer;

        await new HealthEndpointMiddleware(_app.Invoke, options).Invoke(environment);

        Assert.That(environment.StatusCode(), Is.EqualTo(expected));
        Assert.That(_page.Renders, Is.EqualTo(expected == 200 ? 1 : 0));
        Assert.That(environment.ResponseHeader("Allow"), Is.Null);
        Assert.That(_app.Calls, Is.Zero);
    }

    [TestCase("/")]
    [TestCase("/metricsx")]
    [TestCase("/metrics/x")]
    public async Task Invoke_OtherPathWithMetricsOn_ReachesTheApp(string path)
    {
        var environment = await SendAsync(Create(), "GET", path);

        Assert.That(_app.Calls, Is.EqualTo(1));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo("legacy app"));
        Assert.That(_page.Renders, Is.Zero);
    }

    [Test]
    public async Task Invoke_MetricsPathOff_MetricsReachesTheApp()
    {
        var options = new HealthEndpointOptions { MetricsPage = _page };

        await SendAsync(new HealthEndpointMiddleware(_app.Invoke, options), "GET", "/metrics");

        Assert.That(_app.Calls, Is.EqualTo(1));
        Assert.That(_page.Renders, Is.Zero);
    }

    [Test]
    public async Task Invoke_PageThrows_Empty500WithoutTheMessage()
    {
        using var logs = new RecordingLoggerFactory();
        var options = Options();
        options.MetricsPage = new TextMetricsPage(new InvalidOperationException("secret-connection-string"));
        options.Logger = logs.CreateLogger("test");

        var environment = await SendAsync(new HealthEndpointMiddleware(_app.Invoke, options), "GET", "/metrics");

        Assert.That(environment.StatusCode(), Is.EqualTo(500));
        Assert.That(environment.ResponseBodyBytes(), Is.Empty);
        Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo("0"));
        Assert.That(string.Join("|", environment.ResponseHeaders().Values), Does.Not.Contain("secret"));
        Assert.That(logs.Entries, Has.Count.EqualTo(1));
        Assert.That(_app.Calls, Is.Zero);
    }

    [Test]
    public void Constructor_MetricsPathWithoutPage_ThrowsNamingMetricsPath()
    {
        var options = new HealthEndpointOptions { MetricsPath = "/metrics" };

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => _ = new HealthEndpointMiddleware(_app.Invoke, options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.MetricsPath" }));
        Assert.That(exception.Message, Does.Contain("HealthEndpointOptions.MetricsPage"));
    }

    [TestCase("/healthz/ping/", "must differ from HealthEndpointOptions.PingPath")]
    [TestCase("/HEALTHZ/STATUS", "must differ from HealthEndpointOptions.StatusPath")]
    [TestCase("metrics", "must start with '/'")]
    public void Constructor_BadMetricsPath_ThrowsNamingMetricsPath(string path, string problem)
    {
        var options = Options();
        options.MetricsPath = path;

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => _ = new HealthEndpointMiddleware(_app.Invoke, options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.MetricsPath" }));
        Assert.That(exception.Message, Does.Contain(problem));
    }

    private HealthEndpointOptions Options() => new() { MetricsPath = "/metrics", MetricsPage = _page };

    private HealthEndpointMiddleware Create() => new(_app.Invoke, Options());

    private static async Task<IDictionary<string, object>> SendAsync(HealthEndpointMiddleware middleware, string method, string path)
    {
        var environment = OwinEnvironment.Create(method, path);
        await middleware.Invoke(environment);
        return environment;
    }
}
