using System;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// The health paths over real HTTP (exact headers and bodies, 405 with <c>Allow</c> for other methods, 503 with the
/// <c>fail</c> token) in front of a legacy-style app that sets a session cookie, served by <see cref="HttpListenerOwinServer"/>
/// and read byte for byte from the socket.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HealthEndpointOverHttpTests : HostFixture
{
    public HealthEndpointOverHttpTests(HostKind host)
        : base(host)
    {
    }

    private const string StatusBody = """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""";


    private RecordingApp _app = null!;
    private TestServer _server = null!;

    [SetUp]
    public async Task SetUp()
    {
        _app = new RecordingApp();
        var options = new HealthEndpointOptions { Database = _ => Task.CompletedTask };
        _server = await StartAsync(HealthEndpointMiddleware.Wrap(_app.Invoke, options));
    }

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    // Exactly what a health response carries: the middleware's caching, length, type and nosniff headers, plus the
    // ones the host always adds; no Set-Cookie.
    private string[] HealthHeaderNames => ["Cache-Control", "Content-Length", "Content-Type", "X-Content-Type-Options", .. HostHeaderNames];

    [TestCase("GET", "/healthz/ping", "text/plain; charset=utf-8", "pong")]
    [TestCase("GET", "/HEALTHZ/PING/", "text/plain; charset=utf-8", "pong")]
    [TestCase("GET", "/healthz/status?verbose=1", "application/json", StatusBody)]
    [TestCase("HEAD", "/healthz/ping", "text/plain; charset=utf-8", "")]
    [TestCase("HEAD", "/healthz/status", "application/json", "")]
    public async Task HealthPath_ServedOverHttp_ExactHeadersAndBodyAndAppNotCalled(string method, string target, string contentType, string body)
    {
        using var connection = await _server.ConnectAsync();
        await connection.SendAsync(_server.Request(method, target));
        var response = await connection.ReadResponseAsync(head: method == "HEAD");
        var after = await connection.ReadUnexpectedBytesAsync(RawHttpConnection.SilenceWindow);

        var fullLength = target.Contains("status", StringComparison.OrdinalIgnoreCase) ? StatusBody.Length : 4;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusLine, Is.EqualTo("HTTP/1.1 200 OK"));
            Assert.That(response.HeaderNames, Is.EquivalentTo(HealthHeaderNames), response.ToString());
            Assert.That(response.Header("Content-Type"), Is.EqualTo(contentType));
            Assert.That(response.Header("Content-Length"), Is.EqualTo(fullLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(response.Header("Cache-Control"), Is.EqualTo("no-store, no-cache"));
            Assert.That(response.Header("X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(response.Values("Set-Cookie"), Is.Empty);
            Assert.That(response.Body, Is.EqualTo(Encoding.ASCII.GetBytes(body)));
            Assert.That(after, Is.Empty, "bytes after the response");
            Assert.That(_app.Calls, Is.Zero, "calls that reached the app");
        });
    }

    [TestCase("POST")]
    [TestCase("DELETE")]
    [TestCase("OPTIONS")]
    public async Task HealthPath_OtherMethod_Exact405AndAppNotCalled(string method)
    {
        var response = await _server.SendAsync(method, "/healthz/ping", "Content-Length: 0");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusLine, Is.EqualTo("HTTP/1.1 405 Method Not Allowed"));
            Assert.That(response.HeaderNames, Is.EquivalentTo((string[])["Allow", "Cache-Control", "Content-Length", "X-Content-Type-Options", .. HostHeaderNames]));
            Assert.That(response.Header("Allow"), Is.EqualTo("GET, HEAD"));
            Assert.That(response.Header("Content-Length"), Is.EqualTo("0"));
            Assert.That(response.Body, Is.Empty);
            Assert.That(_app.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task HealthPath_StatusWithFailingCheckOverHttp_503AndFailToken()
    {
        var options = new HealthEndpointOptions { Redis = _ => throw new InvalidOperationException("redis at 10.0.0.5 refused") };
        await using var server = await StartAsync(HealthEndpointMiddleware.Wrap(_app.Invoke, options));

        var response = await server.SendAsync("GET", "/healthz/status");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusLine, Is.EqualTo("HTTP/1.1 503 Service Unavailable"));
            Assert.That(response.BodyText, Is.EqualTo("""{"checks":{"database":"skipped","redis":"fail"},"status":"fail"}"""));
            Assert.That(response.Header("Content-Length"), Is.EqualTo(response.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(_app.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task OtherPath_ControlServedOverHttp_ReachesAppWithItsSessionCookie()
    {
        var response = await _server.SendAsync("GET", "/healthz/pingx");

        Assert.Multiple(() =>
        {
            Assert.That((response.StatusCode, response.BodyText), Is.EqualTo((200, "legacy app")));
            Assert.That(response.Values("Set-Cookie"), Is.EqualTo(new[] { "session=1; HttpOnly" }));
            Assert.That(_app.Calls, Is.EqualTo(1));
        });
    }
}
