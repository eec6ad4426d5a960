using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>The allowlist in the middleware: 404 with an empty body for others, on every health path, whatever the method.</summary>
[TestFixture]
public sealed class AllowlistTests
{
    [TestCase("10.1.2.3", null, 200)]
    [TestCase("10.2.0.1", null, 404)]
    [TestCase("::ffff:10.1.2.3", null, 200)]
    [TestCase("fd00::7", null, 200)]
    [TestCase("fe80::1", null, 404)]
    [TestCase("192.0.2.10", "10.1.2.3", 200)]
    [TestCase("192.0.2.10", "203.0.113.5", 404)]
    [TestCase("198.51.100.1", "10.1.2.3", 404)]
    [TestCase("not-an-address", null, 404)]
    public async Task Invoke_StatusFromClient_AllowedOr404(string peer, string? forwardedFor, int expected)
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, Options());

        var environment = await SendAsync(middleware, "GET", "/healthz/status", peer, forwardedFor);

        Assert.That(environment.StatusCode(), Is.EqualTo(expected));
        Assert.That(app.Calls, Is.Zero);
        if (expected == 404)
        {
            Assert.That(environment.ResponseBodyBytes(), Is.Empty);
            Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo("0"));
            Assert.That(environment.ResponseHeader("Content-Type"), Is.Null);
        }
    }

    [TestCase("GET", "/healthz/ping")]
    [TestCase("HEAD", "/healthz/status")]
    [TestCase("POST", "/healthz/ping")]
    [TestCase("DELETE", "/readyz")]
    [TestCase("GET", "/healthz/status/database")]
    public async Task Invoke_AnyHealthRequestFromOutside_404NotEven405(string method, string path)
    {
        var options = Options();
        options.ReadyPath = "/readyz";
        options.PerCheckPaths = true;
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var environment = await SendAsync(middleware, method, path, "203.0.113.5", null);

        Assert.That(environment.StatusCode(), Is.EqualTo(404));
        Assert.That(environment.ResponseHeader("Allow"), Is.Null);
    }

    [Test]
    public async Task Invoke_AppPathFromOutside_StillReachesTheApp()
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, Options());

        await SendAsync(middleware, "GET", "/", "203.0.113.5", null);

        Assert.That(app.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Invoke_NoAllowlist_EveryoneIsAnswered()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, new HealthEndpointOptions());

        var environment = await SendAsync(middleware, "GET", "/healthz/ping", "203.0.113.5", null);

        Assert.That(environment.StatusCode(), Is.EqualTo(200));
    }

    [TestCase("AllowedNetworks", "10.0.0.1/8")]
    [TestCase("AllowedNetworks", "10.0.0.0/33")]
    [TestCase("AllowedNetworks", "localhost")]
    [TestCase("TrustedProxies", "::1/129")]
    public void Constructor_BadNetwork_ThrowsNamingTheKey(string setting, string network)
    {
        var options = new HealthEndpointOptions();
        options.AllowedNetworks.Add("127.0.0.1");
        (setting == "AllowedNetworks" ? options.AllowedNetworks : options.TrustedProxies).Add(network);

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => _ = new HealthEndpointMiddleware(new RecordingApp().Invoke, options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions." + setting }));
        Assert.That(exception.Message, Does.Contain($"'{network}'"));
    }

    [Test]
    public void Constructor_TrustedProxiesWithoutAllowedNetworks_ThrowsNamingTrustedProxies()
    {
        var options = new HealthEndpointOptions();
        options.TrustedProxies.Add("127.0.0.1");

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => _ = new HealthEndpointMiddleware(new RecordingApp().Invoke, options));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.TrustedProxies" }));
    }

    private static HealthEndpointOptions Options()
    {
        var options = new HealthEndpointOptions { Database = ProbeFixture.Check("ok") };
        options.AllowedNetworks.Add("10.1.0.0/16");
        options.AllowedNetworks.Add("fd00::/8");
        options.TrustedProxies.Add("192.0.2.0/24");
        return options;
    }

    private static async Task<IDictionary<string, object>> SendAsync(
        HealthEndpointMiddleware middleware, string method, string path, string peer, string? forwardedFor)
    {
        var environment = OwinEnvironment.Create(method, path);
        environment["server.RemoteIpAddress"] = peer;
        if (forwardedFor is not null)
        {
            ((IDictionary<string, string[]>)environment["owin.RequestHeaders"])["X-Forwarded-For"] = [forwardedFor];
        }

        await middleware.Invoke(environment);
        return environment;
    }
}
