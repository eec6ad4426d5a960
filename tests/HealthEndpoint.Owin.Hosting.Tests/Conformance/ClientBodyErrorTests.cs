using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// A client's fault in the request body stays the client's, on both hosts: past <c>MaxRequestBodySize</c> → 413 and
/// an Information line, under <c>MinRequestBodyDataRate</c> (1 byte per second) → 408, a malformed chunk → 400, as
/// plain Kestrel answers, with nothing logged at Error. The app's own exception is still a 500 logged at Error, and
/// a body within the limits is read and logs nothing (the controls).
/// </summary>
/// <remarks>The host may read a small body before it calls the app, so whether the app was called is not asserted.</remarks>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class ClientBodyErrorTests : HostFixture
{
    private const long MaxBody = 1024 * 1024;

    public ClientBodyErrorTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task BodyPastMaxRequestBodySize_413AndAnInformationLine_NoError()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync, configure: settings => settings.MaxRequestBodySize = MaxBody);
        using var connection = await server.ConnectAsync();

        // Headers only: a body the server leaves unread could reset the connection before the response is read.
        await connection.SendAsync(server.Request("POST", "/upload", "Content-Length: 52428800"));
        var response = await connection.ReadResponseAsync();
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"{Host}: 50 MB declared, limit {MaxBody} bytes -> {response}; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(413), response.ToString());
            Assert.That(errors, Is.Empty, $"Error entries: {ServerLog.Describe(errors)}");
            Assert.That(server.Logs.Entries.Where(entry => entry.Level == LogLevel.Information && entry.Message.Contains("413", StringComparison.Ordinal)), Is.Not.Empty, "an Information line naming the 413");
        });
    }

    [Test]
    public async Task ChunkedBodyPastMaxRequestBodySize_413OrClosed_NoError()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync, configure: settings => settings.MaxRequestBodySize = 1000);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/upload", "Transfer-Encoding: chunked") + "800\r\n" + new string('x', 0x800) + "\r\n0\r\n\r\n");
        var transcript = await WireTranscript.ReadAsync(connection);
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"{Host}: 2048 chunked bytes, limit 1000 -> {transcript}; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.Multiple(() =>
        {
            Assert.That(transcript.First?.StatusCode, Is.EqualTo(413).Or.Null, transcript.ToString());
            Assert.That(errors, Is.Empty, $"Error entries: {ServerLog.Describe(errors)}");
        });
    }

    [Test]
    public async Task SlowUploader_OneBytePerSecond_408_NoError()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync);
        using var connection = await server.ConnectAsync();
        var clock = Stopwatch.StartNew();

        await connection.SendAsync(server.Request("POST", "/upload", "Content-Length: 100"));
        var answered = connection.WaitForBytesAsync(TimeSpan.FromSeconds(20));
        var sent = 0;
        while (!answered.IsCompleted && sent < 20)
        {
            try
            {
                await connection.SendAsync(new byte[] { (byte)'x' });
                sent++;
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                break;
            }

            await Task.WhenAny(answered, Task.Delay(TimeSpan.FromSeconds(1)));
        }

        string outcome;
        int? status = null;
        try
        {
            var response = await answered ? await connection.ReadResponseAsync() : null;
            status = response?.StatusCode;
            outcome = response?.ToString() ?? "no answer in 20 s";
        }
        catch (Exception exception) when (exception is EndOfStreamException or SocketException)
        {
            outcome = "connection closed: " + exception.GetType().Name;
        }

        var errors = await ServerLog.ErrorsAsync(server, expected: 1);
        TestContext.Progress.WriteLine($"{Host}: {sent} bytes at 1 byte/s, answered after {clock.Elapsed.TotalSeconds:0.0} s: {outcome}; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(408), $"status of the answer to a body sent at 1 byte/s: {outcome}");
            Assert.That(errors, Is.Empty, $"Error entries: {ServerLog.Describe(errors)}");
        });
    }

    [Test]
    public async Task MalformedChunkedBody_BadChunkSizeLine_400_NoError()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/upload", "Transfer-Encoding: chunked") + "zz\r\n");
        var transcript = await WireTranscript.ReadAsync(connection);
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"{Host}: chunk size line 'zz' -> [{transcript}]; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.Multiple(() =>
        {
            Assert.That(transcript.Responses.Count, Is.LessThanOrEqualTo(1), "one answer at most");
            Assert.That(transcript.First?.StatusCode, Is.EqualTo(400), transcript.ToString());
            Assert.That(errors, Is.Empty, $"Error entries: {ServerLog.Describe(errors)}");
        });
    }

    [Test]
    public async Task AppThrows_ControlItsOwnException_500AndOneError()
    {
        var failure = new InvalidOperationException("the app's own failure");
        await using var server = await StartAsync(async environment =>
        {
            await ReadBodyAsync(environment);
            throw failure;
        });
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/upload", "Content-Length: 5") + "hello");
        var response = await connection.ReadResponseAsync();
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"{Host}: app throws -> {response}; log: {ServerLog.Describe(errors)}");
        Assert.That(response.StatusCode, Is.EqualTo(500), response.ToString());
        Assert.That(errors, Has.Count.EqualTo(1), ServerLog.Describe(errors));
        Assert.That(errors[0].Exception, Is.SameAs(failure));
    }

    [Test]
    public async Task BodyWithinTheLimits_Control_AppReadsItAnd200()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync, configure: settings => settings.MaxRequestBodySize = MaxBody);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/upload", "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        TestContext.Progress.WriteLine($"{Host}: a valid chunked body -> {response} '{response.BodyText}'");
        Assert.That((response.StatusCode, response.BodyText), Is.EqualTo((200, "5")));
        Assert.That(server.Logs.Entries, Is.Empty, "nothing logged, at any level");
    }

    private static async Task ReadBodyThenAnswerAsync(IDictionary<string, object> environment)
    {
        var length = await ReadBodyAsync(environment);
        await ScenarioApp.ResponseBody(environment).WriteAsync(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<long> ReadBodyAsync(IDictionary<string, object> environment)
    {
        var received = new MemoryStream();
        await ((Stream)environment["owin.RequestBody"]).CopyToAsync(received);
        return received.Length;
    }
}
