using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using MyApp;
using Owin.HealthEndpoint.Testing;

namespace Owin.HealthEndpoint.Readme.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// README style 2 exactly as printed (the <c>Startup</c> class compiled from the README), under a host of Katana's
/// convention that signals <c>host.OnAppDisposing</c> in the startup properties only: it drains like ours.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReadmeStyle2Tests
{
    [Test]
    public async Task Style2_UnderKatanaConventionHost_StartsWithFirstRequestAndDrainsWhenHostStops()
    {
        using var host = new KatanaConventionHost();
        new Startup { ConnectionString = ReadmeDatabase.ConnectionString }.Configuration(host);
        var app = (AppFunc)host.Build(typeof(AppFunc));

        var startup = await SendAsync(app, "/startupz");
        var ready = await SendAsync(app, "/healthz/status");
        host.Stop();
        var draining = await SendAsync(app, "/healthz/status");
        var ping = await SendAsync(app, "/healthz/ping");
        var other = await SendAsync(app, "/tickets");

        Assert.That(startup.StatusCode(), Is.EqualTo(200), "delivered by the host: started");
        Assert.That(ready.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""), "the control: ready before the stop");
        Assert.That(draining.StatusCode(), Is.EqualTo(503));
        Assert.That(draining.ResponseBodyText(), Is.EqualTo("""{"checks":{"shutdown":"fail"},"status":"fail"}"""));
        Assert.That(ping.StatusCode(), Is.EqualTo(200));
        Assert.That(other.StatusCode(), Is.EqualTo(404), "other paths reach the rest of the pipeline");
    }

    private static async Task<IDictionary<string, object>> SendAsync(AppFunc app, string path)
    {
        var environment = OwinEnvironment.Create("GET", path);
        await app(environment);
        return environment;
    }
}
