using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>A graceful stop lets in-flight requests finish, then closes the listener so that connects are refused.</summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostStopTests : HostFixture
{
    public HostStopTests(HostKind host)
        : base(host)
    {
    }

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Test]
    public async Task StopAsync_RequestInFlight_WaitsForItThenRefusesConnections()
    {
        var slow = new SlowApp();
        await using var server = await StartAsync(slow.InvokeAsync);
        using var client = await server.ConnectAsync();
        await client.SendAsync(server.Request("GET", "/slow"));
        await slow.Entered.Task.WaitAsync(Deadline);

        var stop = server.StopAsync();
        var finishedEarly = await Task.WhenAny(stop, Task.Delay(RawHttpConnection.SilenceWindow)) == stop;
        slow.Release.SetResult();
        var response = await client.ReadResponseAsync();
        await stop.WaitAsync(Deadline);

        Assert.Multiple(() =>
        {
            Assert.That(finishedEarly, Is.False, "StopAsync completed while a request was in flight");
            Assert.That((response.StatusCode, response.BodyText), Is.EqualTo((200, "finally")), response.ToString());
            Assert.That(slow.CallCancelled.IsCancellationRequested, Is.False, "owin.CallCancelled within the shutdown timeout");
        });
        var refused = Assert.ThrowsAsync<SocketException>(async () => (await server.ConnectAsync()).Dispose());
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    [Test]
    public async Task StopAsync_ControlBeforeStop_ConnectsAndAnswers()
    {
        await using var server = await StartAsync(ScenarioApp.Create());

        var response = await server.SendAsync("GET", "/healthz/ping");

        Assert.That(response.BodyText, Is.EqualTo("pong"));
    }

    [Test]
    public async Task StopAsync_RequestOutlivesShutdownTimeout_CancelsCallAndLogsWarning()
    {
        var slow = new SlowApp();
        await using var server = await StartAsync(slow.InvokeAsync, configure: options => options.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        using var client = await server.ConnectAsync();
        await client.SendAsync(server.Request("GET", "/slow"));
        await slow.Entered.Task.WaitAsync(Deadline);

        await server.StopAsync().WaitAsync(Deadline);

        Assert.Multiple(() =>
        {
            Assert.That(slow.CallCancelled.IsCancellationRequested, Is.True, "owin.CallCancelled");
            Assert.That(
                server.Logs.Entries.Select(entry => (entry.Level, entry.EventId.Name)),
                Does.Contain((LogLevel.Warning, (string?)"StopTimedOut")));
        });
        var refused = Assert.ThrowsAsync<SocketException>(async () => (await server.ConnectAsync()).Dispose());
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    // What DisposeAsync promises when a stop is already under way (the plugin pipeline stops its host so): it
    // returns once that stop has closed the listener, not as soon as the requests have drained. A few rounds,
    // because a wrong order shows only when the closing thread is the slower one.
    [Test]
    public async Task DisposeAsync_DuringStop_ReturnsOnceTheStopHasClosedTheListener()
    {
        for (var round = 1; round <= 5; round++)
        {
            var slow = new SlowApp();
            var server = await StartAsync(slow.InvokeAsync);
            using var client = await server.ConnectAsync();
            await client.SendAsync(server.Request("GET", "/slow"));
            await slow.Entered.Task.WaitAsync(Deadline);

            var stop = server.StopAsync();
            var dispose = server.DisposeAsync().AsTask();
            slow.Release.SetResult();
            await dispose.WaitAsync(Deadline);

            Assert.That(stop.IsCompletedSuccessfully, Is.True, $"round {round}: the stop had finished when DisposeAsync returned");
            var refused = Assert.ThrowsAsync<SocketException>(async () => (await server.ConnectAsync()).Dispose());
            Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused), $"round {round}");
        }
    }

    /// <summary>Holds each request until the test releases it (or the call is cancelled), then answers "finally".</summary>
    private sealed class SlowApp
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken CallCancelled { get; private set; }

        public async Task InvokeAsync(IDictionary<string, object> environment)
        {
            CallCancelled = (CancellationToken)environment["owin.CallCancelled"];
            Entered.TrySetResult();
            await Release.Task.WaitAsync(CallCancelled);
            await ScenarioApp.ResponseBody(environment).WriteAsync("finally"u8.ToArray());
        }
    }
}
