using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance.Kestrel;

/// <summary>
/// A connection that connects and sends nothing is closed by <c>RequestHeadersTimeout</c> (plus Kestrel's 1 s
/// heartbeat), not held for <c>KeepAliveTimeout</c>: otherwise silent connections fill the connection cap for
/// minutes. A connection that finished a request and idles is kept alive (the control). Kestrel-only: the
/// HttpListener host has neither timeout to set.
/// </summary>
[TestFixture]
public sealed class KestrelSilentConnectionTests
{
    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(2);

    // The timeout fires on the heartbeat tick after it passed (KestrelLimitsTests measured 1.5-2 s late); the
    // bound is far below the 130 s keep-alive timeout that holds a silent connection today.
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(6);

    [Test]
    public async Task SilentConnection_SendsNothing_ClosedWithinRequestHeadersTimeout()
    {
        await using var server = await StartAsync();
        using var connection = await server.ConnectAsync();
        var clock = Stopwatch.StartNew();

        var closed = true;
        try
        {
            await connection.ReadUntilClosedAsync(CloseBound);
        }
        catch (TimeoutException)
        {
            closed = false;
        }

        TestContext.Progress.WriteLine($"Kestrel: a silent connection {(closed ? "closed" : "still open")} after {clock.Elapsed.TotalSeconds:0.0} s (RequestHeadersTimeout {HeadersTimeout.TotalSeconds:0} s, KeepAliveTimeout 130 s)");
        Assert.That(closed, Is.True, $"the silent connection was still open after {CloseBound.TotalSeconds:0} s");
    }

    [Test]
    public async Task IdleAfterARequest_Control_KeptAlivePastRequestHeadersTimeout()
    {
        await using var server = await StartAsync();
        using var connection = await server.ConnectAsync();
        await connection.SendAsync(server.Request("GET", "/healthz/ping"));
        var response = await connection.ReadResponseAsync();
        var clock = Stopwatch.StartNew();

        var open = false;
        try
        {
            await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(4));
        }
        catch (TimeoutException)
        {
            open = true;
        }

        TestContext.Progress.WriteLine($"Kestrel: after {response.StatusLine} the idle connection was {(open ? "still open" : "closed")} at {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That((response.BodyText, open), Is.EqualTo(("pong", true)));
    }

    private static Task<TestServer> StartAsync() =>
        TestServer.StartAsync(HostKind.Kestrel, ScenarioApp.Create(), configure: settings => settings.Kestrel = options =>
        {
            options.RequestHeadersTimeout = HeadersTimeout;
            options.KeepAliveTimeout = TimeSpan.FromSeconds(130);
        });
}
