using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Plugin.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// Every composition (Wrap, the middleware class activated Katana-style, the plugin list) learns the host's start
/// and graceful stop from <c>host.OnAppDisposing</c> in each request with no callback wired by hand; Katana's
/// startup properties reach the middleware class, and a host without the key calls the composition's lifecycle.
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
        var (app, dispose) = Compose(composition);
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
    public async Task HostTokenInStartupPropertiesOnly_MiddlewareClass_StartsThenDrains()
    {
        // Katana's own way: app.Use(typeof(HealthEndpointMiddleware), options, app.Properties).
        using var host = new CancellationTokenSource();
        var properties = new Dictionary<string, object> { ["host.OnAppDisposing"] = host.Token };
        var middleware = (HealthEndpointMiddleware)Activator.CreateInstance(
            typeof(HealthEndpointMiddleware), new object[] { (AppFunc)new RecordingApp().Invoke, Options(), properties })!;
        AppFunc app = middleware.Invoke;

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

    [Test]
    public async Task HostWithoutTheKey_LifecycleCalls_StartsThenDrains([Values(Composition.Wrap, Composition.PluginList)] Composition composition)
    {
        // The documented way for a host that signals nothing: options.Lifecycle, taken in the plugin's configure for the list.
        var (app, lifecycle, dispose) = ComposeWithLifecycle(composition);
        using (dispose)
        {
            var notStarted = await SendAsync(app, "/startupz", token: null);
            lifecycle.MarkStarted();
            var started = await SendAsync(app, "/startupz", token: null);
            var ready = await SendAsync(app, "/healthz/status", token: null);
            lifecycle.BeginDraining();
            var draining = await SendAsync(app, "/healthz/status", token: null);

            Assert.That(notStarted.StatusCode(), Is.EqualTo(503), "the control: not started before MarkStarted");
            Assert.That(started.StatusCode(), Is.EqualTo(200));
            Assert.That(ready.StatusCode(), Is.EqualTo(200), "the control: ready until the stop begins");
            Assert.That(draining.StatusCode(), Is.EqualTo(503));
        }
    }

    private static (AppFunc App, IDisposable? Dispose) Compose(Composition composition)
    {
        AppFunc legacyApp = new RecordingApp().Invoke;
        switch (composition)
        {
            case Composition.Wrap:
                return (HealthEndpointMiddleware.Wrap(legacyApp, Options()), null);
            case Composition.MiddlewareClass:
                // Katana's AppBuilder: the constructor taking (next, args...), then Invoke.
                var middleware = (HealthEndpointMiddleware)Activator.CreateInstance(typeof(HealthEndpointMiddleware), new object[] { legacyApp, Options() })!;
                return (middleware.Invoke, null);
            default:
                var pipeline = PluginPipeline.Build(legacyApp, HealthEndpointPlugin.Register(new PluginCatalog()), PluginContext());
                return (pipeline.App, pipeline);
        }
    }

    private static (AppFunc App, HealthEndpointLifecycle Lifecycle, IDisposable? Dispose) ComposeWithLifecycle(Composition composition)
    {
        AppFunc legacyApp = new RecordingApp().Invoke;
        if (composition == Composition.Wrap)
        {
            var options = Options();
            return (HealthEndpointMiddleware.Wrap(legacyApp, options), options.Lifecycle, null);
        }

        HealthEndpointLifecycle? lifecycle = null;
        var catalog = HealthEndpointPlugin.Register(new PluginCatalog(), options => lifecycle = options.Lifecycle);
        var pipeline = PluginPipeline.Build(legacyApp, catalog, PluginContext());
        return (pipeline.App, lifecycle!, pipeline);
    }

    private static PluginContext PluginContext()
    {
        var settings = new Dictionary<string, string?>
        {
            ["HealthEndpoint:StartupPath"] = "/startupz",
            ["HealthEndpoint:StatusCacheDuration"] = "00:00:00",
        };
        return new PluginContext(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    private static HealthEndpointOptions Options() => new() { StartupPath = "/startupz", StatusCacheDuration = TimeSpan.Zero };

    private static async Task<IDictionary<string, object>> SendAsync(AppFunc app, string path, CancellationToken? token)
    {
        var environment = OwinEnvironment.Create("GET", path);
        if (token is CancellationToken appDisposing)
        {
            environment["host.OnAppDisposing"] = appDisposing;
        }

        await app(environment);
        return environment;
    }
}
