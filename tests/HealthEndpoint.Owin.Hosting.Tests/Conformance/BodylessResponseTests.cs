using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// A body the app writes on a 204, a 304 or a HEAD response is never written: the next request on the connection
/// gets a clean response (no stray bytes before its status line), and a 204 carries no Transfer-Encoding and, on
/// Kestrel, no Content-Length (HttpListener adds "Content-Length: 0" itself).
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class BodylessResponseTests : HostFixture
{
    private static readonly byte[] Oops = Encoding.ASCII.GetBytes("oops");

    public BodylessResponseTests(HostKind host)
        : base(host)
    {
    }

    [TestCase("GET", 204)]
    [TestCase("GET", 304)]
    [TestCase("HEAD", 200)]
    public async Task AppWritesBody_OnBodylessResponse_NextResponseOnTheConnectionIsClean(string method, int status)
    {
        await using var server = await StartAsync(environment =>
        {
            if (environment["owin.RequestPath"] is "/next")
            {
                return ScenarioApp.ResponseBody(environment).WriteAsync(ScenarioApp.Hello).AsTask();
            }

            environment["owin.ResponseStatusCode"] = status;
            return ScenarioApp.ResponseBody(environment).WriteAsync(Oops).AsTask();
        });
        using var connection = await server.ConnectAsync();

        var bodyless = await WireTranscript.ExchangeAsync(connection, server.Request(method, "/bodyless"), head: method == "HEAD");
        WireTranscript? next = null;
        SocketException? lost = null;
        try
        {
            next = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/next"));
        }
        catch (SocketException exception)
        {
            // The server reset the connection after the bodyless response: the next request cannot even be sent.
            lost = exception;
        }

        TestContext.Progress.WriteLine($"{Host}: {method} {status} got: {bodyless}; then on the same connection: {next?.ToString() ?? lost?.Message}");
        var first = bodyless.First;
        Assert.Multiple(() =>
        {
            Assert.That(bodyless.Responses.Select(response => response.StatusCode).ToArray(), Is.EqualTo(new[] { status }), bodyless.ToString());
            Assert.That(bodyless.Unparsed, Is.Empty, "bytes after the bodyless response");
            Assert.That(lost?.Message, Is.Null, "the connection after the bodyless response");
            Assert.That(next?.Responses.Select(response => response.StatusLine).ToArray(), Is.EqualTo(new[] { "HTTP/1.1 200 OK" }), $"what the next request got: {next}");
            Assert.That(next?.First?.BodyText, Is.EqualTo("hello world"));
            Assert.That(next?.Unparsed, Is.Empty, "bytes no response explains");
            if (status == 204)
            {
                // HttpListener itself adds "Content-Length: 0" to every response that cannot have a body (its known
                // limit, docs/hosting.md); no body byte follows it, so the connection stays in step.
                Assert.That(first?.Values("Transfer-Encoding"), Is.Empty, "Transfer-Encoding on a 204");
                Assert.That(first?.Values("Content-Length"), Is.EqualTo(Host == HostKind.HttpListener ? new[] { "0" } : System.Array.Empty<string>()), "Content-Length on a 204");
            }
        });
    }
}
