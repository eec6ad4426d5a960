using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// HEAD never puts body bytes on the wire, whatever kind of response the app or the health middleware makes,
/// and the connection stays in step for the next request. Read from a raw socket, so that a leaked body
/// (HttpListener writes whatever the app writes, and a chunk terminator when no length is set) is seen.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostHeadTests : HostFixture
{
    public HostHeadTests(HostKind host)
        : base(host)
    {
    }

    // closesOnHttpListener: HttpListener itself adds "Connection: close" to 400, 408, 411, 413, 414, 500 and 503
    // responses; Kestrel keeps those connections open, so on Kestrel the same request must stay in step too.
    [TestCase("/healthz/ping", 200, false)]
    [TestCase("/healthz/status", 200, false)]
    [TestCase("/failing/status", 503, true)]
    [TestCase("/explicit-length", 200, false)]
    [TestCase("/buffered", 200, false)]
    [TestCase("/large", 200, false)]
    [TestCase("/flushed", 200, false)]
    [TestCase("/not-found", 404, false)]
    [TestCase("/no-content", 204, false)]
    [TestCase("/method-not-allowed", 405, false)]
    [TestCase("/throws", 500, true)]
    public async Task Head_EveryKindOfResponse_SendsGetHeadersAndNoBodyBytes(string path, int status, bool closesOnHttpListener)
    {
        var closes = closesOnHttpListener && ClosesOnServerErrorStatus;
        await using var server = await StartAsync(ScenarioApp.Create());
        var get = await server.SendAsync("GET", path);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("HEAD", path));
        var head = await connection.ReadResponseAsync(head: true);
        var leaked = closes
            ? (await connection.ReadUntilClosedAsync(RawHttpConnection.ReadTimeout)).Bytes
            : await connection.ReadUnexpectedBytesAsync(RawHttpConnection.SilenceWindow);

        Assert.Multiple(() =>
        {
            Assert.That(get.StatusCode, Is.EqualTo(status), $"GET {get}");
            Assert.That(get.Body, Is.EqualTo(ScenarioApp.ExpectedBody(path)), "GET body");
            Assert.That(head.StatusLine, Is.EqualTo(get.StatusLine), $"HEAD {head}");
            Assert.That(leaked, Is.Empty, "bytes after the HEAD response headers");
            Assert.That(head.ClosesConnection, Is.EqualTo(closes), "HEAD Connection: close");
            Assert.That(HeadersApartFromFraming(head), Is.EqualTo(HeadersApartFromFraming(get)), "HEAD headers as GET's");
            if (get.Header("Content-Length") is { } length)
            {
                Assert.That(head.Header("Content-Length"), Is.EqualTo(length), "HEAD Content-Length as GET's");
            }
            else
            {
                // GET was chunked: HEAD may omit the length, but if it states one it must be the GET body's.
                var bodyLength = get.Body.Length.ToString(CultureInfo.InvariantCulture);
                Assert.That(head.Header("Content-Length") ?? bodyLength, Is.EqualTo(bodyLength), "HEAD Content-Length of a chunked GET");
            }
        });

        if (!closes)
        {
            await connection.SendAsync(server.Request("GET", path));
            var next = await connection.ReadResponseAsync();
            Assert.That(next.StatusCode, Is.EqualTo(status), "GET on the same connection after HEAD");
            Assert.That(next.Body, Is.EqualTo(ScenarioApp.ExpectedBody(path)), "GET body on the same connection after HEAD");
        }
    }

    [Test]
    public async Task Head_ControlGetOnSameConnection_ParsesFullBodySoLeakDetectionWorks()
    {
        // Control for the silence check above: after a GET the reader consumes exactly the body, and the
        // same check reports the bytes of a response that was not read.
        await using var server = await StartAsync(ScenarioApp.Create());
        using var connection = await server.ConnectAsync();
        await connection.SendAsync(server.Request("GET", "/healthz/ping"));
        var consumed = await connection.ReadResponseAsync();
        var nothing = await connection.ReadUnexpectedBytesAsync(RawHttpConnection.SilenceWindow);

        await connection.SendAsync(server.Request("GET", "/healthz/ping"));
        var unread = await connection.ReadUnexpectedBytesAsync(RawHttpConnection.SilenceWindow);

        Assert.Multiple(() =>
        {
            Assert.That(consumed.BodyText, Is.EqualTo("pong"));
            Assert.That(nothing, Is.Empty);
            Assert.That(System.Text.Encoding.ASCII.GetString(unread), Does.StartWith("HTTP/1.1 200 OK\r\n").And.EndWith("\r\n\r\npong"));
        });
    }

    private static string[] HeadersApartFromFraming(RawHttpResponse response) =>
        response.Headers
            .Where(header => header.Key is not ("Date" or "Content-Length" or "Transfer-Encoding"))
            .Select(header => header.Key + ": " + header.Value)
            .Order(StringComparer.Ordinal)
            .ToArray();
}
