using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.Kestrel;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance.Kestrel;

/// <summary>
/// A client's fault in the request body stays the client's: past <c>MaxRequestBodySize</c> → 413, under
/// <c>MinRequestBodyDataRate</c> → 408, a malformed chunk → 400, as plain Kestrel answers, with nothing logged at
/// Error. The app's own exception is still a 500 logged at Error (the control). Kestrel-only: these are its limits.
/// </summary>
/// <remarks>The host may read a small body before it calls the app, so whether the app was called is not asserted.</remarks>
[TestFixture]
public sealed class KestrelClientErrorTests
{
    private const long MaxBody = 1024 * 1024;

    [Test]
    public async Task BodyPastMaxRequestBodySize_50MegabytesDeclared_413AndNoError()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync, options => options.MaxRequestBodySize = MaxBody);
        using var connection = await server.ConnectAsync();

        // Headers only: a body the server leaves unread could reset the connection before the response is read.
        await connection.SendAsync(server.Request("POST", "/upload", "Content-Length: 52428800"));
        var response = await connection.ReadResponseAsync();
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"Kestrel: 50 MB declared, limit {MaxBody} bytes -> {response}; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.That(response.StatusCode, Is.EqualTo(413), response.ToString());
        Assert.That(errors, Is.Empty, $"Error entries: {ServerLog.Describe(errors)}");
    }

    [Test]
    public async Task BodyUnderMinRequestBodyDataRate_OneBytePerSecond_408AndNoError()
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

        var arrived = await answered;
        var response = arrived ? await connection.ReadResponseAsync() : null;
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"Kestrel: {sent} bytes at 1 byte/s, answered after {clock.Elapsed.TotalSeconds:0.0} s: {response}; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.That(response?.StatusCode, Is.EqualTo(408), "status of the answer to a body sent at 1 byte/s");
        Assert.That(errors, Is.Empty, $"Error entries: {ServerLog.Describe(errors)}");
    }

    [Test]
    public async Task MalformedChunkedBody_BadChunkSizeLine_400AndNoError()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/upload", "Transfer-Encoding: chunked") + "zz\r\n");
        var response = await connection.ReadResponseAsync();
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);

        TestContext.Progress.WriteLine($"Kestrel: chunk size line 'zz' -> {response}; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.That(response.StatusCode, Is.EqualTo(400), response.ToString());
        Assert.That(errors, Is.Empty, $"Error entries: {ServerLog.Describe(errors)}");
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

        TestContext.Progress.WriteLine($"Kestrel: app throws -> {response}; log: {ServerLog.Describe(errors)}");
        Assert.That(response.StatusCode, Is.EqualTo(500), response.ToString());
        Assert.That(errors, Has.Count.EqualTo(1), ServerLog.Describe(errors));
        Assert.That(errors[0].Exception, Is.SameAs(failure));
    }

    [Test]
    public async Task BodyWithinTheLimits_Control_AppReadsItAnd200()
    {
        await using var server = await StartAsync(ReadBodyThenAnswerAsync, options => options.MaxRequestBodySize = MaxBody);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/upload", "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        TestContext.Progress.WriteLine($"Kestrel: a valid chunked body -> {response} '{response.BodyText}'");
        Assert.That((response.StatusCode, response.BodyText), Is.EqualTo((200, "5")));
        Assert.That(server.Logs.Entries, Is.Empty);
    }

    private static Task<TestServer> StartAsync(Func<IDictionary<string, object>, Task> app, Action<KestrelOwinServerOptions>? configure = null) =>
        TestServer.StartAsync(HostKind.Kestrel, app, configure: settings => settings.Kestrel = configure);

    private static async Task ReadBodyThenAnswerAsync(IDictionary<string, object> environment)
    {
        var length = await ReadBodyAsync(environment);
        await ScenarioApp.ResponseBody(environment).WriteAsync(System.Text.Encoding.ASCII.GetBytes(length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static async Task<long> ReadBodyAsync(IDictionary<string, object> environment)
    {
        var received = new MemoryStream();
        await ((Stream)environment["owin.RequestBody"]).CopyToAsync(received);
        return received.Length;
    }
}
