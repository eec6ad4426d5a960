using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// The started signal (once, with the listener already accepting) and the drain window (OnDraining first, then
/// serving for DrainDelay, then refusing connections), as the health endpoint's startupz and readiness rely on them.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostLifecycleTests : HostFixture
{
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(1);

    public HostLifecycleTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task OnStarted_AfterStart_CalledOnceWithTheListenerAlreadyAccepting()
    {
        var calls = 0;
        var acceptedWhenCalled = false;
        HostSettings? started = null;
        await using var server = await StartAsync(ScenarioApp.Create(), configure: settings =>
        {
            started = settings;
            settings.OnStarted = () =>
            {
                calls++;
                acceptedWhenCalled = Connects(started.Port);
            };
        });

        Assert.That((calls, acceptedWhenCalled), Is.EqualTo((1, true)));
    }

    [Test]
    public void OnStarted_ControlConnectToPortNobodyListensOn_Refused()
    {
        Assert.That(Connects(FreeTcpPort.Next()), Is.False, "the check above can fail");
    }

    [Test]
    public async Task StopAsync_WithDrainDelay_DrainingFirstThenServesThroughTheDelayThenRefuses()
    {
        var draining = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(
            ScenarioApp.Create(),
            configure: settings =>
            {
                settings.DrainDelay = DrainDelay;
                settings.OnDraining = () => draining.TrySetResult();
            });
        var clock = Stopwatch.StartNew();

        var stop = server.StopAsync();
        await draining.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var during = await server.SendAsync("GET", "/healthz/ping");
        var stillDraining = !stop.IsCompleted;
        await stop.WaitAsync(TimeSpan.FromSeconds(15));
        var stoppedAfter = clock.Elapsed;

        Assert.Multiple(() =>
        {
            Assert.That((during.StatusCode, during.BodyText), Is.EqualTo((200, "pong")), "a new connection inside the drain window");
            Assert.That(stillDraining, Is.True, "answered while StopAsync was still in its drain window");
            Assert.That(stoppedAfter, Is.GreaterThanOrEqualTo(DrainDelay - TimeSpan.FromMilliseconds(50)));
            Assert.That(Connects(server.Port), Is.False, "connects are refused once the stop completed");
        });
    }

    [Test]
    public async Task StopAsync_ControlNoDrainDelay_DrainingCalledAndStopsAtOnce()
    {
        var drainingCalls = 0;
        await using var server = await StartAsync(ScenarioApp.Create(), configure: settings => settings.OnDraining = () => drainingCalls++);
        Assert.That(Connects(server.Port), Is.True, "the control: the listener accepts before the stop");
        var clock = Stopwatch.StartNew();

        await server.StopAsync();

        Assert.That((drainingCalls, clock.Elapsed < DrainDelay, Connects(server.Port)), Is.EqualTo((1, true, false)));
    }

    private static bool Connects(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }
}
