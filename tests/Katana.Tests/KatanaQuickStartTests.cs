using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Katana.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// The README's Katana quick start (<c>MyApp.Startup</c>, compiled from README.md as printed) built by Katana's own
/// <c>AppBuilder</c> the way Katana's hosting engine builds it: startup properties carrying <c>host.OnAppDisposing</c>,
/// <c>Configuration(IAppBuilder)</c>, the app's own middleware after it, <c>Build(typeof(AppFunc))</c>. Served by our
/// hosts, whose own <c>host.OnAppDisposing</c> is taken out of each request: a Katana host puts the key in the startup
/// properties only, so the middleware must find the stop through <c>app.Properties</c>.
/// </summary>
[TestFixture(OurHost.HttpListener)]
[TestFixture(OurHost.Kestrel)]
public sealed class KatanaQuickStartTests(OurHost host)
{
    private const string StatusOk = """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""";
    private const string StatusShutdown = """{"checks":{"shutdown":"fail"},"status":"fail"}""";

    [Test]
    public async Task QuickStart_BuiltByKatanasAppBuilder_AnswersPingAndStatusAndPassesTheAppsPaths()
    {
        using var appDisposing = new CancellationTokenSource();
        await using var server = await RunningHost.StartAsync(host, WithoutTheHostKey(BuildQuickStart(appDisposing.Token), out var removed));

        var ping = await server.GetAsync("/healthz/ping");
        var status = await server.GetAsync("/healthz/status");
        var app = await server.GetAsync("/tickets/42");
        Print(ping, status, app);

        Assert.That(ping.ToString(), Is.EqualTo("200 pong"));
        Assert.That(status.ToString(), Is.EqualTo("200 " + StatusOk), "the database check ran against the real PostgreSQL");
        Assert.That(app.ToString(), Is.EqualTo("200 app /tickets/42"), "every other path reaches the app's own middleware");
        Assert.That(removed(), Is.EqualTo(3), "each request came with our host's key, taken out before Katana's pipeline");
    }

    [Test]
    public async Task QuickStart_StartupPropertiesTokenCancelled_StatusAnswers503ShutdownAndPingStill200()
    {
        using var appDisposing = new CancellationTokenSource();
        await using var server = await RunningHost.StartAsync(host, WithoutTheHostKey(BuildQuickStart(appDisposing.Token), out var removed));

        // The control: the same pipeline answers 200 while the token stands.
        var before = await server.GetAsync("/healthz/status");
        appDisposing.Cancel();
        var draining = await server.GetAsync("/healthz/status");
        var ping = await server.GetAsync("/healthz/ping");
        Print(before, draining, ping);

        Assert.That(before.ToString(), Is.EqualTo("200 " + StatusOk));
        Assert.That(draining.ToString(), Is.EqualTo("503 " + StatusShutdown), "app.Properties carried the host's stop");
        Assert.That(ping.ToString(), Is.EqualTo("200 pong"), "the process is alive: ping stays 200 while draining");
        Assert.That(removed(), Is.EqualTo(3), "the requests did not carry host.OnAppDisposing themselves");
    }

    // Katana's hosting engine: a new AppBuilder, startup properties, the app's Startup.Configuration, then the app's
    // own middleware (the README's "... then the app's own middleware"), built as an OWIN AppFunc.
    private static AppFunc BuildQuickStart(CancellationToken appDisposing)
    {
        var builder = KatanaBuilder.New(appDisposing);
        var startup = new MyApp.Startup { ConnectionString = KatanaDatabase.ConnectionString };
        startup.Configuration(builder);
        builder.Use(typeof(KatanaApp));
        return KatanaBuilder.Build(builder);
    }

    // Our hosts put host.OnAppDisposing in every request; a Katana host does not. Taken out before Katana's pipeline
    // sees the request; the delegate counts the requests it was taken from.
    private static AppFunc WithoutTheHostKey(AppFunc app, out Func<int> removed)
    {
        var count = 0;
        removed = () => Volatile.Read(ref count);
        return environment =>
        {
            if (environment.Remove("host.OnAppDisposing"))
            {
                Interlocked.Increment(ref count);
            }

            return app(environment);
        };
    }

    private void Print(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            TestContext.Out.WriteLine($"{host}: {answer}");
        }
    }
}
