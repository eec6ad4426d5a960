using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// The server reports its start and its graceful stop through <c>host.OnAppDisposing</c> in every request, so a
/// health endpoint it serves needs no callback: startupz turns 200 once served, status 503 for the drain window.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HostAppDisposingTests : HostFixture
{
    public HostAppDisposingTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task Request_Environment_CarriesOneHostTokenCancelledWhenStopBegins()
    {
        var tokens = new List<CancellationToken>();
        await using var server = await StartAsync(environment =>
        {
            lock (tokens)
            {
                tokens.Add((CancellationToken)environment["host.OnAppDisposing"]);
            }

            return Task.CompletedTask;
        }, configure: options => options.DrainDelay = TimeSpan.FromSeconds(5));

        await server.SendAsync("GET", "/a");
        await server.SendAsync("GET", "/b");
        var cancelledWhileServing = tokens[0].IsCancellationRequested;
        var stop = server.StopAsync();

        Assert.That(tokens, Has.Count.EqualTo(2));
        Assert.That(tokens[1], Is.EqualTo(tokens[0]), "one token for the whole server");
        Assert.That(cancelledWhileServing, Is.False, "the control: live while the server serves");
        Assert.That(tokens[0].IsCancellationRequested, Is.True, "cancelled as the stop begins, before the drain delay");
        Assert.That(stop.IsCompleted, Is.False, "still inside the 5 s drain window");
    }

    [Test]
    public async Task HealthEndpoint_ServedWithoutCallbacks_StartsAndDrainsWithTheServer()
    {
        var options = new HealthEndpointOptions { StartupPath = "/startupz", Database = _ => Task.CompletedTask, StatusCacheDuration = TimeSpan.Zero };
        var app = HealthEndpointMiddleware.Wrap(new RecordingApp().Invoke, options);
        var direct = OwinEnvironment.Create("GET", "/startupz");
        await app(direct);

        await using var server = await StartAsync(app, configure: o => o.DrainDelay = TimeSpan.FromSeconds(5));
        var startup = await server.SendAsync("GET", "/startupz");
        var ready = await server.SendAsync("GET", "/healthz/status");
        var stop = server.StopAsync();
        var draining = await server.SendAsync("GET", "/healthz/status");
        var ping = await server.SendAsync("GET", "/healthz/ping");

        Assert.That(direct.StatusCode(), Is.EqualTo(503), "invoked before any host served it");
        Assert.That(startup.StatusCode, Is.EqualTo(200));
        Assert.That(ready.BodyText, Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
        Assert.That(draining.StatusCode, Is.EqualTo(503));
        Assert.That(draining.BodyText, Is.EqualTo("""{"checks":{"shutdown":"fail"},"status":"fail"}"""));
        Assert.That(ping.StatusCode, Is.EqualTo(200));
        Assert.That(stop.IsCompleted, Is.False, "all of it inside the drain window");
    }
}
