using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using HealthEndpoint.Owin.Testing;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// An app exception before the response started is a logged 500 with an empty body; after the response started
/// the connection is aborted, so that the client cannot take a truncated body for a complete one.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostErrorTests : HostFixture
{
    public HostErrorTests(HostKind host)
        : base(host)
    {
    }

    private static readonly byte[] Partial = Encoding.ASCII.GetBytes("partial body;");

    [Test]
    public async Task AppThrows_BeforeResponseStarted_LoggedEmpty500()
    {
        var failure = new InvalidOperationException("the app failed");
        await using var server = await StartAsync(environment =>
        {
            environment["owin.ResponseStatusCode"] = 201;
            ScenarioApp.ResponseHeaders(environment)["Set-Cookie"] = ["session=must-not-leak"];
            ScenarioApp.ResponseBody(environment).Write(Partial);
            throw failure;
        });

        var response = await server.SendAsync("GET", "/page");
        await Poll.UntilAsync(() => Task.FromResult(server.Logs.Entries.Count > 0), TimeSpan.FromSeconds(5), "the failure is logged");

        var entry = server.Logs.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(500), response.ToString());
            Assert.That(response.Header("Content-Length"), Is.EqualTo("0"));
            Assert.That(response.Body, Is.Empty);
            Assert.That(response.Values("Set-Cookie"), Is.Empty, "headers the app set before it failed");
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(entry.Exception, Is.SameAs(failure));
            Assert.That(entry.Message, Does.Contain("GET /page"));
        });
    }

    [Test]
    public async Task AppThrows_ControlAppThatSucceeds_NothingLogged()
    {
        await using var server = await StartAsync(environment => ScenarioApp.ResponseBody(environment).WriteAsync(Partial).AsTask());

        var response = await server.SendAsync("GET", "/page");

        Assert.That((response.StatusCode, response.BodyText, server.Logs.Entries.Count), Is.EqualTo((200, "partial body;", 0)));
    }

    // A response with a Content-Length cut off; the chunked one is AppThrows_AfterFlushOfChunkedResponse_BothHostsCutItShort.
    [Test]
    public async Task AppThrows_AfterFlushOfResponseWithContentLength_ConnectionAborted()
    {
        var failure = new InvalidOperationException("the app failed half way");
        await using var server = await StartAsync(environment => WritePartThenAsync(environment, declareLength: true, () => throw failure));
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("GET", "/stream"));

        Assert.That(
            async () => await connection.ReadResponseAsync(),
            Throws.InstanceOf<EndOfStreamException>().Or.InstanceOf<SocketException>(),
            "the client must see EOF or a reset before the response is complete");
        await Poll.UntilAsync(() => Task.FromResult(server.Logs.Entries.Count > 0), TimeSpan.FromSeconds(5), "the failure is logged");
        var entry = server.Logs.Entries.Single();
        Assert.That((entry.Level, entry.Exception), Is.EqualTo((LogLevel.Error, (Exception)failure)));
        Assert.That(entry.Message, Does.Contain("response started: True"));
    }

    // After a chunked response started, both hosts cut the connection without the final chunk (the HttpListener
    // host suppresses the one HttpListener's Abort would write), so the client sees the body was cut short.
    [Test]
    public async Task AppThrows_AfterFlushOfChunkedResponse_BothHostsCutItShort()
    {
        await using var server = await StartAsync(environment => WritePartThenAsync(environment, declareLength: false, () => throw new InvalidOperationException("half way")));
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("GET", "/stream"));

        Assert.That(
            async () => await connection.ReadResponseAsync(),
            Throws.InstanceOf<EndOfStreamException>().Or.InstanceOf<SocketException>(),
            "the client must see EOF or a reset before the chunked body ends");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AppFinishes_ControlAfterFlush_CompleteResponse(bool declareLength)
    {
        await using var server = await StartAsync(
            environment => WritePartThenAsync(environment, declareLength, () => ScenarioApp.ResponseBody(environment).Write(Partial)));

        var response = await server.SendAsync("GET", "/stream");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(200), response.ToString());
            Assert.That(response.BodyText, Is.EqualTo("partial body;partial body;"));
            Assert.That(response.IsChunked, Is.EqualTo(!declareLength));
        });
    }

    [Test]
    public async Task AppThrows_AfterFlushWithNothingWritten_LoggedEmpty500()
    {
        // Nothing reached the wire yet (HttpListener sends headers with the first body byte), so the
        // failure can still be told to the client honestly instead of as an empty 200.
        var failure = new InvalidOperationException("the app failed after an early flush");
        await using var server = await StartAsync(async environment =>
        {
            await ScenarioApp.ResponseBody(environment).FlushAsync();
            throw failure;
        });

        var response = await server.SendAsync("GET", "/page");
        await Poll.UntilAsync(() => Task.FromResult(server.Logs.Entries.Count > 0), TimeSpan.FromSeconds(5), "the failure is logged");

        Assert.That((response.StatusCode, response.Header("Content-Length"), response.Body.Length), Is.EqualTo((500, (string?)"0", 0)), response.ToString());
        Assert.That(server.Logs.Entries.Single().Exception, Is.SameAs(failure));
    }

    [Test]
    public async Task AppSetsInvalidContentLength_BeforeAnyByteSent_LoggedEmpty500()
    {
        await using var server = await StartAsync(environment =>
        {
            environment["owin.ResponseReasonPhrase"] = "Fine";
            ScenarioApp.ResponseHeaders(environment)["Content-Length"] = ["eleven"];
            ScenarioApp.ResponseHeaders(environment)["X-App"] = ["must-not-leak"];
            return ScenarioApp.ResponseBody(environment).WriteAsync(ScenarioApp.Hello).AsTask();
        });

        var response = await server.SendAsync("GET", "/page");
        await Poll.UntilAsync(() => Task.FromResult(server.Logs.Entries.Count > 0), TimeSpan.FromSeconds(5), "the failure is logged");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusLine, Is.EqualTo("HTTP/1.1 500 Internal Server Error"), response.ToString());
            Assert.That(response.Header("Content-Length"), Is.EqualTo("0"));
            Assert.That(response.Values("X-App"), Is.Empty);
            Assert.That(server.Logs.Entries.Single().Level, Is.EqualTo(LogLevel.Error));
        });
    }

    [Test]
    public async Task OnSendingHeadersCallbackThrows_BeforeAnyByteSent_LoggedEmpty500()
    {
        var failure = new InvalidOperationException("the callback failed");
        await using var server = await StartAsync(environment =>
        {
            var register = (Action<Action<object>, object>)environment["server.OnSendingHeaders"];
            register(_ => throw failure, environment);
            return ScenarioApp.ResponseBody(environment).WriteAsync(ScenarioApp.Hello).AsTask();
        });

        var response = await server.SendAsync("GET", "/page");
        await Poll.UntilAsync(() => Task.FromResult(server.Logs.Entries.Count > 0), TimeSpan.FromSeconds(5), "the failure is logged");

        Assert.That((response.StatusCode, response.Body.Length), Is.EqualTo((500, 0)), response.ToString());
        Assert.That(server.Logs.Entries.Single().Exception, Is.SameAs(failure));
    }

    [Test]
    public async Task ZeroLengthWrite_AfterFlushOfChunkedResponse_BodyStaysIntact()
    {
        await using var server = await StartAsync(async environment =>
        {
            var body = ScenarioApp.ResponseBody(environment);
            await body.WriteAsync(ScenarioApp.Early);
            await body.FlushAsync();
            await body.WriteAsync(ReadOnlyMemory<byte>.Empty);
#pragma warning disable CA1835 // The array overload on purpose: it is the path that reaches HttpListener's BeginWrite.
            await body.WriteAsync(Array.Empty<byte>(), 0, 0);
#pragma warning restore CA1835
            body.Write(Array.Empty<byte>(), 0, 0);
            await body.WriteAsync(ScenarioApp.Late);
        });
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("GET", "/page"));
        var response = await connection.ReadResponseAsync();
        var after = await connection.ReadUnexpectedBytesAsync(RawHttpConnection.SilenceWindow);

        Assert.Multiple(() =>
        {
            Assert.That(response.BodyText, Is.EqualTo("early;late"), response.ToString());
            Assert.That(Encoding.ASCII.GetString(after), Is.Empty, "bytes after the end of the chunked body");
        });
    }

    // Writes the first half of a two-part body, flushes so that it goes on the wire, then runs `then`.
    private static async Task WritePartThenAsync(IDictionary<string, object> environment, bool declareLength, Action then)
    {
        if (declareLength)
        {
            ScenarioApp.ResponseHeaders(environment)["Content-Length"] = [(Partial.Length * 2).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        var body = ScenarioApp.ResponseBody(environment);
        await body.WriteAsync(Partial);
        await body.FlushAsync();
        then();
    }
}
