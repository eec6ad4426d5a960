using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// The host owns the framing: an app that sets <c>Transfer-Encoding: chunked</c> gets its body chunk-framed by the
/// host (so bytes that look like a last chunk and a second response stay body bytes), and with both
/// Transfer-Encoding and Content-Length set only Transfer-Encoding goes out (RFC 9112 §6.2).
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class ResponseFramingTests : HostFixture
{
    private static readonly byte[] Smuggled = Encoding.ASCII.GetBytes("0\r\n\r\nHTTP/1.1 200 OK\r\nX-Smuggled: yes\r\nContent-Length: 0\r\n\r\n");

    public ResponseFramingTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task AppSetsChunked_BodyLooksLikeFraming_ChunkFramedAndOneResponse()
    {
        await using var server = await StartAsync(environment => environment["owin.RequestPath"] is "/next"
            ? ScenarioApp.ResponseBody(environment).WriteAsync(ScenarioApp.Hello).AsTask()
            : WriteAsync(environment, Smuggled, ("Transfer-Encoding", "chunked")));
        using var connection = await server.ConnectAsync();

        var first = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/smuggle"));
        var next = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/next"));

        TestContext.Progress.WriteLine($"{Host}: request 1 got {first.Responses.Count} response(s), {Smuggled.Length} body bytes written: {first}");
        TestContext.Progress.WriteLine($"{Host}: request 2 got: {next}");
        Assert.Multiple(() =>
        {
            Assert.That(first.Responses, Has.Count.EqualTo(1), $"responses to request 1: {first}");
            Assert.That(first.First?.IsChunked, Is.True, "response 1 chunk-framed");
            Assert.That(first.First?.Body, Is.EqualTo(Smuggled), "response 1's decoded body is what the app wrote");
            Assert.That(first.Unparsed, Is.Empty, "bytes after response 1");
            Assert.That(next.Responses, Has.Count.EqualTo(1), $"responses to request 2: {next}");
            Assert.That(next.First?.BodyText, Is.EqualTo("hello world"), "request 2's own response");
        });
    }

    [Test]
    public async Task AppSetsChunkedAndContentLength_OneFramingHeader_ChunkedOnly()
    {
        await using var server = await StartAsync(environment =>
            WriteAsync(environment, ScenarioApp.Hello, ("Transfer-Encoding", "chunked"), ("Content-Length", "11")));
        using var connection = await server.ConnectAsync();

        var transcript = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/both"));

        TestContext.Progress.WriteLine($"{Host}: {transcript}");
        var response = transcript.First;
        Assert.Multiple(() =>
        {
            Assert.That(response?.Values("Transfer-Encoding"), Is.EqualTo(new[] { "chunked" }), transcript.ToString());
            Assert.That(response?.Values("Content-Length"), Is.Empty, "Content-Length beside Transfer-Encoding");
            Assert.That(response?.BodyText, Is.EqualTo("hello world"));
            Assert.That(transcript.Unparsed, Is.Empty, "bytes after the response");
        });
    }

    [Test]
    public async Task AppSetsNoFraming_ControlSameBytes_ArriveAsBody()
    {
        // The control: the same bytes without the app's Transfer-Encoding are a plain body on both hosts, and the
        // transcript reads them as one response, so a second response above is the app's framing, not the reader.
        await using var server = await StartAsync(environment => WriteAsync(environment, Smuggled));
        using var connection = await server.ConnectAsync();

        var transcript = await WireTranscript.ExchangeAsync(connection, server.Request("GET", "/plain"));

        TestContext.Progress.WriteLine($"{Host}: {transcript}");
        Assert.That(transcript.Responses, Has.Count.EqualTo(1), transcript.ToString());
        Assert.That(transcript.Responses[0].Body, Is.EqualTo(Smuggled));
    }

    private static async Task WriteAsync(IDictionary<string, object> environment, byte[] body, params (string Name, string Value)[] headers)
    {
        foreach (var (name, value) in headers)
        {
            ScenarioApp.ResponseHeaders(environment)[name] = [value];
        }

        await ScenarioApp.ResponseBody(environment).WriteAsync(body);
    }
}
