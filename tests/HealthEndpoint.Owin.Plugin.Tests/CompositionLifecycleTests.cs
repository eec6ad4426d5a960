using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Owin.HealthEndpoint.Testing;

namespace Owin.HealthEndpoint.Plugin.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// Every composition (Wrap, the middleware class activated Katana-style, the plugin list) learns the host's start
/// and graceful stop from <c>host.OnAppDisposing</c>, wherever the host puts it, with no callback wired by hand.
/// </summary>
[TestFixture]
public sealed class CompositionLifecycleTests
{
    public enum Composition
    {
        Wrap,
        MiddlewareClass,
        PluginList,
    }

    [Test]
    public async Task HostTokenInEachRequest_StartsThenDrains([Values] Composition composition)
    {
        using var host = new CancellationTokenSource();
        var (app, dispose) = Compose(composition, hostProperties: null);
        using (dispose)
        {
            var notDelivered = await SendAsync(app, "/startupz", token: null);
            var started = await SendAsync(app, "/startupz", host.Token);
            var ready = await SendAsync(app, "/healthz/status", host.Token);
            host.Cancel();
            var draining = await SendAsync(app, "/healthz/status", host.Token);

            Assert.That(notDelivered.StatusCode(), Is.EqualTo(503), "the control: no host has delivered a request");
            Assert.That(started.StatusCode(), Is.EqualTo(200));
            Assert.That(ready.StatusCode(), Is.EqualTo(200), "the control: ready until the stop begins");
            Assert.That(draining.StatusCode(), Is.EqualTo(503));
            Assert.That(draining.ResponseBodyText(), Is.EqualTo("""{"checks":{"shutdown":"fail"},"status":"fail"}"""));
        }
    }

    [Test]
    public async Task HostTokenInStartupPropertiesOnly_StartsThenDrains([Values] Composition composition)
    {
        using var host = new CancellationTokenSource();
        var properties = new Dictionary<string, object> { [OwinKeys.HostOnAppDisposing] = host.Token };
        var (app, dispose) = Compose(composition, properties);
        using (dispose)
        {
            var started = await SendAsync(app, "/startupz", token: null);
            var ready = await SendAsync(app, "/healthz/status", token: null);
            host.Cancel();
            var draining = await SendAsync(app, "/healthz/status", token: null);
            var ping = await SendAsync(app, "/healthz/ping", token: null);

            Assert.That(started.StatusCode(), Is.EqualTo(200), "a request delivered by that host: started");
            Assert.That(ready.StatusCode(), Is.EqualTo(200), "the control: ready until the stop begins");
            Assert.That(draining.StatusCode(), Is.EqualTo(503));
            Assert.That(ping.StatusCode(), Is.EqualTo(200));
        }
    }

    private static (AppFunc App, IDisposable? Dispose) Compose(Composition composition, IDictionary<string, object>? hostProperties)
    {
        AppFunc legacyApp = new RecordingApp().Invoke;
        switch (composition)
        {
            case Composition.Wrap:
                return (HealthEndpoint.Wrap(legacyApp, Options(), hostProperties), null);
            case Composition.MiddlewareClass:
                // Katana's AppBuilder: the constructor taking (next, args...), then Invoke.
                var arguments = hostProperties is null ? new object[] { legacyApp, Options() } : [legacyApp, Options(), hostProperties];
                var middleware = (HealthEndpointMiddleware)Activator.CreateInstance(typeof(HealthEndpointMiddleware), arguments)!;
                return (middleware.Invoke, null);
            default:
                var settings = new Dictionary<string, string?>
                {
                    ["HealthEndpoint:StartupPath"] = "/startupz",
                    ["HealthEndpoint:StatusCacheDuration"] = "00:00:00",
                };
                var context = new PluginContext(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()) { HostProperties = hostProperties };
                var pipeline = PluginPipeline.Build(legacyApp, HealthEndpointPlugin.Register(new PluginCatalog()), context);
                return (pipeline.App, pipeline);
        }
    }

    private static HealthEndpointOptions Options() => new() { StartupPath = "/startupz", StatusCacheDuration = TimeSpan.Zero };

    private static async Task<IDictionary<string, object>> SendAsync(AppFunc app, string path, CancellationToken? token)
    {
        var environment = OwinEnvironment.Create("GET", path);
        if (token is CancellationToken appDisposing)
        {
            environment[OwinKeys.HostOnAppDisposing] = appDisposing;
        }

        await app(environment);
        return environment;
    }
}
