using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>Connection reuse: kept alive across health responses, closed when an unread request body remains.</summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostConnectionTests : HostFixture
{
    public HostConnectionTests(HostKind host)
        : base(host)
    {
    }

    private const int DeclaredBodyLength = 2 * 1024 * 1024;
    private const int SentBodyLength = 64 * 1024;

    [Test]
    public async Task KeepAlive_GetHeadPostGetOnOneSocket_AnswersEachInStep()
    {
        await using var server = await StartAsync(ScenarioApp.Create());
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("GET", "/healthz/ping"));
        var get = await connection.ReadResponseAsync();
        await connection.SendAsync(server.Request("HEAD", "/healthz/ping"));
        var head = await connection.ReadResponseAsync(head: true);
        await connection.SendAsync(server.Request("POST", "/healthz/status", "Content-Length: 0"));
        var post = await connection.ReadResponseAsync();
        await connection.SendAsync(server.Request("GET", "/healthz/status"));
        var status = await connection.ReadResponseAsync();
        var trailing = await connection.ReadUnexpectedBytesAsync(RawHttpConnection.SilenceWindow);

        Assert.Multiple(() =>
        {
            Assert.That((get.StatusCode, get.BodyText), Is.EqualTo((200, "pong")), $"GET ping: {get}");
            Assert.That((head.StatusCode, head.Header("Content-Length")), Is.EqualTo((200, "4")), $"HEAD ping: {head}");
            Assert.That((post.StatusCode, post.Header("Allow"), post.Header("Content-Length")), Is.EqualTo((405, "GET, HEAD", "0")), $"POST status: {post}");
            Assert.That(post.Body, Is.Empty);
            Assert.That(status.StatusCode, Is.EqualTo(200), $"GET status: {status}");
            Assert.That(status.BodyText, Is.EqualTo("""{"checks":{"database":"skipped","redis":"skipped"},"status":"ok"}"""));
            Assert.That(new[] { get, head, post, status }, Has.None.Matches<RawHttpResponse>(response => response.ClosesConnection));
            Assert.That(trailing, Is.Empty, "bytes after the fourth response");
        });
    }

    [Test]
    public async Task LargeRequestBody_PostToHealthPathWithPartBodySent_405PromptlyAndConnectionClosed()
    {
        await using var server = await StartAsync(ScenarioApp.Create());
        using var connection = await server.ConnectAsync();
        var elapsed = Stopwatch.StartNew();

        await connection.SendAsync(server.Request(
            "POST", "/healthz/ping", "Content-Type: application/octet-stream", "Content-Length: " + DeclaredBodyLength.ToString(CultureInfo.InvariantCulture)));
        await connection.SendAsync(new byte[SentBodyLength]);
        var response = await connection.ReadResponseAsync();
        var answeredAfter = elapsed.Elapsed;
        var (afterResponse, _) = await connection.ReadUntilClosedAsync(UnreadBodyCloseTimeout);

        // The response cannot depend on the 1,984 KiB that were never sent: the server neither waited for them
        // nor (it closed the connection) would it have drained them.
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(405), response.ToString());
            Assert.That(response.Header("Allow"), Is.EqualTo("GET, HEAD"));
            Assert.That(response.ClosesConnection, Is.True, "Connection: close");
            Assert.That(answeredAfter, Is.LessThan(TimeSpan.FromSeconds(2)));
            Assert.That(afterResponse, Is.Empty, "bytes after the 405");
        });
    }

    [Test]
    public async Task LargeRequestBody_ControlPostWithEmptyBody_405AndConnectionKeptAlive()
    {
        await using var server = await StartAsync(ScenarioApp.Create());
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/healthz/ping", "Content-Length: 0"));
        var response = await connection.ReadResponseAsync();
        await connection.SendAsync(server.Request("GET", "/healthz/ping"));
        var next = await connection.ReadResponseAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(405), response.ToString());
            Assert.That(response.ClosesConnection, Is.False, "Connection: close");
            Assert.That(next.BodyText, Is.EqualTo("pong"));
        });
    }

    [Test]
    public async Task RequestBody_AppReadsWholeBody_ConnectionKeptAlive()
    {
        // Control for the close above: it is the unread body, not the POST, that closes the connection.
        await using var server = await StartAsync(new EchoApp().InvokeAsync);
        using var connection = await server.ConnectAsync();
        var body = Encoding.ASCII.GetBytes(new string('x', SentBodyLength));

        await connection.SendAsync(server.Request("POST", "/echo", "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)));
        await connection.SendAsync(body);
        var echoed = await connection.ReadResponseAsync();
        await connection.SendAsync(server.Request("GET", "/echo"));
        var next = await connection.ReadResponseAsync();

        Assert.Multiple(() =>
        {
            Assert.That(echoed.Body, Is.EqualTo(body));
            Assert.That(echoed.ClosesConnection, Is.False, "Connection: close");
            Assert.That(next.StatusCode, Is.EqualTo(200), next.ToString());
        });
    }
}
