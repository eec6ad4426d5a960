using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>
/// A host that follows the <c>host.OnAppDisposing</c> convention reports its start and its graceful stop with no
/// code in the app: in each request (Katana's hosting engine, System.Web, our hosts) or in the startup properties.
/// </summary>
[TestFixture]
public sealed class LifecycleFromHostTokenTests
{
    [Test]
    public async Task Invoke_StartupzCarryingHostToken_200WhereThePlainRequestGot503()
    {
        using var host = new CancellationTokenSource();
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn());

        var direct = await ProbeFixture.SendAsync(middleware, "GET", "/startupz");
        var delivered = await SendAsync(middleware, "/startupz", host.Token);

        Assert.That(direct.StatusCode(), Is.EqualTo(503), "the control: no host has delivered a request yet");
        Assert.That(delivered.StatusCode(), Is.EqualTo(200));
        Assert.That(delivered.ResponseBodyText(), Is.EqualTo("ok"));
    }

    [TestCase("/healthz/status", """{"checks":{"shutdown":"fail"},"status":"fail"}""")]
    [TestCase("/readyz", "[-]shutdown fail\nreadyz check failed\n")]
    public async Task Invoke_HostTokenCancelled_ReadinessDrains(string path, string body)
    {
        using var host = new CancellationTokenSource();
        var options = ProbeFixture.AllOn();
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var before = await SendAsync(middleware, path, host.Token);
        host.Cancel();
        var during = await SendAsync(middleware, path, host.Token);
        var ping = await SendAsync(middleware, "/healthz/ping", host.Token);

        Assert.That(before.StatusCode(), Is.EqualTo(200), "the control: ready while the token is live");
        Assert.That(during.StatusCode(), Is.EqualTo(503));
        Assert.That(during.ResponseBodyText(), Is.EqualTo(body));
        Assert.That(ping.StatusCode(), Is.EqualTo(200), "liveness stays up while draining");
        Assert.That(options.Lifecycle.State, Is.EqualTo(HostState.Draining), "the lifecycle others read follows the host");
    }

    [Test]
    public async Task Constructor_StartupPropertiesToken_DrainsWhenCancelledAndStartsWithFirstRequest()
    {
        using var host = new CancellationTokenSource();
        var properties = new Dictionary<string, object> { [OwinKeys.HostOnAppDisposing] = host.Token };
        var options = ProbeFixture.AllOn();

        // What Katana's AppBuilder does for app.Use(typeof(HealthEndpointMiddleware), options, app.Properties).
        var middleware = (HealthEndpointMiddleware)Activator.CreateInstance(
            typeof(HealthEndpointMiddleware), (Func<IDictionary<string, object>, Task>)new RecordingApp().Invoke, options, properties)!;
        var stateBefore = options.Lifecycle.State;
        var startup = await ProbeFixture.SendAsync(middleware, "GET", "/startupz");
        var before = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status");
        host.Cancel();
        var stateAtCancel = options.Lifecycle.State;
        var during = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status");

        Assert.That(stateBefore, Is.EqualTo(HostState.Starting), "the control: nothing has been served yet");
        Assert.That(startup.StatusCode(), Is.EqualTo(200));
        Assert.That(before.StatusCode(), Is.EqualTo(200));
        Assert.That(stateAtCancel, Is.EqualTo(HostState.Draining), "the cancellation itself begins draining");
        Assert.That(during.StatusCode(), Is.EqualTo(503));
    }

    [Test]
    public async Task Wrap_WithoutHostSignals_StaysStartingAndReady()
    {
        var properties = new Dictionary<string, object> { ["host.AppName"] = "no token here" };
        var app = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn(), properties).Invoke;

        var startup = OwinEnvironment.Create("GET", "/startupz");
        await app(startup);
        var status = OwinEnvironment.Create("GET", "/healthz/status");
        status[OwinKeys.HostOnAppDisposing] = "not a token";
        await app(status);

        Assert.That(startup.StatusCode(), Is.EqualTo(503));
        Assert.That(status.StatusCode(), Is.EqualTo(200));
    }

    [Test]
    public async Task Invoke_PassThrough_NeverLooksForTheHostKey()
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, ProbeFixture.AllOn());
        var environment = new LookupCountingEnvironment(OwinEnvironment.Create("GET", "/tickets"));
        var health = new LookupCountingEnvironment(OwinEnvironment.Create("GET", "/healthz/status"));

        await middleware.Invoke(environment);
        await middleware.Invoke(health);

        Assert.That(app.Calls, Is.EqualTo(1));
        Assert.That(environment.Lookups(OwinKeys.HostOnAppDisposing), Is.EqualTo(0));
        Assert.That(health.Lookups(OwinKeys.HostOnAppDisposing), Is.GreaterThan(0), "the control: health paths do look");
    }

    private static async Task<IDictionary<string, object>> SendAsync(HealthEndpointMiddleware middleware, string path, CancellationToken appDisposing)
    {
        var environment = OwinEnvironment.Create("GET", path);
        environment[OwinKeys.HostOnAppDisposing] = appDisposing;
        await middleware.Invoke(environment);
        return environment;
    }
}
