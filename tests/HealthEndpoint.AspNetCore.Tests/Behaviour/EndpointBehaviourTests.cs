using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin;

namespace HealthEndpoint.AspNetCore.Tests.Behaviour;

/// <summary>
/// The behaviour suite: every health path answered in front of a session-setting app, over real Kestrel sockets, once
/// through the OWIN middleware (<see cref="Adapter.Owin"/>) and once through <c>UseHealthEndpoint()</c>
/// (<see cref="Adapter.AspNetCore"/>). The expectations are one list for both: the same status codes, headers and
/// bytes, <c>no-store</c>, never <c>Set-Cookie</c>, and the app never called for a health path.
/// </summary>
[TestFixture(Adapter.Owin)]
[TestFixture(Adapter.AspNetCore)]
public sealed class EndpointBehaviourTests
{
    private const string StatusBody = """{"checks":{"database":"ok","queue":"ok","redis":"skipped"},"status":"ok"}""";
    private const string EmptyHeaders = "Cache-Control: no-store, no-cache\nContent-Length: 0\nX-Content-Type-Options: nosniff";

    private readonly Adapter _adapter;
    private HealthServer _server = null!;

    public EndpointBehaviourTests(Adapter adapter) => _adapter = adapter;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await HealthServer.StartAsync(_adapter, Configure);

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    /// <summary>Every option on: the Kubernetes family, per-check paths, queries, health+json, metrics.</summary>
    internal static void Configure(HealthEndpointOptions options)
    {
        options.Database = _ => Task.CompletedTask;
        options.Checks.Add(new NamedHealthCheck("queue", _ => Task.CompletedTask));
        options.LivePath = "/livez";
        options.ReadyPath = "/readyz";
        options.StartupPath = "/startupz";
        options.PerCheckPaths = true;
        options.ProbeQueries = true;
        options.HealthJson = true;
        options.MetricsPath = "/metrics";
        options.MetricsPage = new FixedMetricsPage();
    }

    [TestCase("GET", "/healthz/ping", "text/plain; charset=utf-8", "pong")]
    [TestCase("GET", "/HEALTHZ/PING/", "text/plain; charset=utf-8", "pong")]
    [TestCase("GET", "/healthz/ping?verbose", "text/plain; charset=utf-8", "pong")]
    [TestCase("GET", "/healthz/status", "application/json", StatusBody)]
    [TestCase("GET", "/healthz/status/", "application/json", StatusBody)]
    [TestCase("GET", "/healthz/status?exclude=queue", "application/json", """{"checks":{"database":"ok","queue":"skipped","redis":"skipped"},"status":"ok"}""")]
    [TestCase("GET", "/healthz/status/queue", "application/json", """{"checks":{"queue":"ok"},"status":"ok"}""")]
    [TestCase("GET", "/livez", "text/plain; charset=utf-8", "ok")]
    [TestCase("GET", "/readyz", "text/plain; charset=utf-8", "ok")]
    [TestCase("GET", "/startupz", "text/plain; charset=utf-8", "ok")]
    [TestCase("GET", "/metrics", FixedMetricsPage.Type, FixedMetricsPage.Text)]
    public async Task HealthPath_Get_ExactAnswerNoCookieAppNotCalled(string method, string target, string contentType, string body)
    {
        var before = _server.AppCalls;

        var response = await WireResponse.SendAsync(_server.Client, method, target);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(response.BodyText, Is.EqualTo(body));
            Assert.That(response.Headers, Is.EqualTo(HealthHeaders(Encoding.UTF8.GetByteCount(body), contentType)));
            Assert.That(_server.AppCalls, Is.EqualTo(before), "calls that reached the app");
        });
    }

    [TestCase("/healthz/ping", "text/plain; charset=utf-8", 4)]
    [TestCase("/healthz/status", "application/json", 73)]
    [TestCase("/readyz", "text/plain; charset=utf-8", 2)]
    public async Task HealthPath_Head_GetsHeadersWithoutBody(string target, string contentType, int length)
    {
        var response = await WireResponse.SendAsync(_server.Client, "HEAD", target);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(response.Headers, Is.EqualTo(HealthHeaders(length, contentType)));
            Assert.That(response.Body, Is.Empty);
        });
    }

    [TestCase("POST", "/healthz/ping")]
    [TestCase("PUT", "/healthz/status")]
    [TestCase("DELETE", "/readyz")]
    [TestCase("OPTIONS", "/metrics")]
    public async Task HealthPath_OtherMethod_405WithAllowAndAppNotCalled(string method, string target)
    {
        var before = _server.AppCalls;

        var response = await WireResponse.SendAsync(_server.Client, method, target);

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(405));
            Assert.That(response.Headers, Is.EqualTo("Allow: GET, HEAD\n" + EmptyHeaders));
            Assert.That(response.Body, Is.Empty);
            Assert.That(_server.AppCalls, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task PerCheckPath_UnknownCheck_Empty404()
    {
        var response = await WireResponse.SendAsync(_server.Client, "GET", "/healthz/status/nosuchcheck");

        Assert.That((response.Status, response.Headers, response.Body.Length), Is.EqualTo((404, EmptyHeaders, 0)));
    }

    [Test]
    public async Task Readyz_Verbose_ListsEveryCheck()
    {
        var response = await WireResponse.SendAsync(_server.Client, "GET", "/readyz?verbose");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(response.BodyText, Does.Match(@"^\[\+\]database ok.*\n\[\+\]queue ok.*\n\[\+\]redis skipped.*\nreadyz check passed\n$"));
        });
    }

    [Test]
    public async Task Status_AcceptHealthJson_AnswersApplicationHealthJson()
    {
        var response = await WireResponse.SendAsync(_server.Client, "GET", "/healthz/status", ("Accept", "application/health+json"));

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(200));
            Assert.That(response.Header("Content-Type"), Is.EqualTo("application/health+json"));
            Assert.That(response.BodyText, Does.StartWith("{").And.Contain("\"status\":\"pass\""));
            Assert.That(response.Header("Cache-Control"), Is.EqualTo("no-store, no-cache"));
        });
    }

    [Test]
    public async Task OtherPath_Control_ReachesTheAppWithItsCookie()
    {
        var before = _server.AppCalls;

        var response = await WireResponse.SendAsync(_server.Client, "GET", "/healthz/pingx");

        Assert.Multiple(() =>
        {
            Assert.That((response.Status, response.BodyText), Is.EqualTo((200, "legacy app")));
            Assert.That(response.Header("Set-Cookie"), Does.StartWith("session="));
            Assert.That(_server.AppCalls, Is.EqualTo(before + 1));
        });
    }

    [Test]
    public async Task Status_CheckFails_503WithTheFailTokenOnly()
    {
        await using var server = await HealthServer.StartAsync(_adapter, options =>
            options.Redis = _ => throw new InvalidOperationException("redis at 10.0.0.5 refused"));

        var response = await WireResponse.SendAsync(server.Client, "GET", "/healthz/status");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(503));
            Assert.That(response.BodyText, Is.EqualTo("""{"checks":{"database":"skipped","redis":"fail"},"status":"fail"}"""));
            Assert.That(response.Header("Set-Cookie"), Is.Null);
        });
    }

    [Test]
    public async Task Draining_StatusAndReadiness503Shutdown_PingStays200()
    {
        await using var server = await HealthServer.StartAsync(_adapter, options => options.ReadyPath = "/readyz");
        server.Lifecycle.BeginDraining();

        var status = await WireResponse.SendAsync(server.Client, "GET", "/healthz/status");
        var ready = await WireResponse.SendAsync(server.Client, "GET", "/readyz");
        var ping = await WireResponse.SendAsync(server.Client, "GET", "/healthz/ping");

        Assert.Multiple(() =>
        {
            Assert.That((status.Status, status.BodyText), Is.EqualTo((503, """{"checks":{"shutdown":"fail"},"status":"fail"}""")));
            Assert.That(ready.Status, Is.EqualTo(503));
            Assert.That((ping.Status, ping.BodyText), Is.EqualTo((200, "pong")));
        });
    }

    [TestCase("10.0.0.0/8", "", "", 404)]
    [TestCase("127.0.0.0/8", "", "", 200)]
    [TestCase("10.0.0.0/8", "127.0.0.1/32", "10.1.2.3", 200)]
    [TestCase("10.0.0.0/8", "127.0.0.1/32", "192.0.2.7, 10.1.2.3", 200)]
    [TestCase("10.0.0.0/8", "127.0.0.1/32", "10.1.2.3, 192.0.2.7", 404)]
    [TestCase("10.0.0.0/8", "", "10.1.2.3", 404)]
    public async Task Allowlist_PeerAndForwardedFor_ReadAsTheOwinMiddlewareDoes(string allowed, string trusted, string forwardedFor, int expected)
    {
        await using var server = await HealthServer.StartAsync(_adapter, options =>
        {
            options.AllowedNetworks.Add(allowed);
            if (trusted.Length > 0)
            {
                options.TrustedProxies.Add(trusted);
            }
        });

        var response = forwardedFor.Length > 0
            ? await WireResponse.SendAsync(server.Client, "GET", "/healthz/ping", ("X-Forwarded-For", forwardedFor))
            : await WireResponse.SendAsync(server.Client, "GET", "/healthz/ping");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(expected));
            Assert.That(response.Headers, expected == 404 ? Is.EqualTo(EmptyHeaders) : Does.Contain("Content-Length: 4"));
            Assert.That(server.AppCalls, Is.Zero);
        });
    }

    private static string HealthHeaders(int length, string contentType) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"Cache-Control: no-store, no-cache\nContent-Length: {length}\nContent-Type: {contentType}\nX-Content-Type-Options: nosniff");

    /// <summary>A metrics page with fixed text: the suite checks the path's framing, not a exporter's format.</summary>
    private sealed class FixedMetricsPage : MetricsPage
    {
        public const string Type = "text/plain; version=0.0.4; charset=utf-8";
        public const string Text = "healthendpoint_up 1\n";

        public override string ContentType => Type;

        public override Task WriteAsync(Stream body, CancellationToken cancellationToken) =>
            body.WriteAsync(Encoding.ASCII.GetBytes(Text), 0, Text.Length, cancellationToken);
    }
}
