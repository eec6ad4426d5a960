using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Katana.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// A Katana session middleware (<see cref="SessionMiddleware"/>) in a pipeline built by Katana's AppBuilder: placed
/// after ours it never sees a probe; placed before ours (the control) it creates a session for every probe.
/// </summary>
[TestFixture(OurHost.HttpListener)]
[TestFixture(OurHost.Kestrel)]
public sealed class KatanaSessionTests(OurHost host)
{
    private const int Probes = 1_000;

    [Test]
    public async Task SessionMiddlewareAfterOurs_1000Probes_CreateNoSessionAndAppRequestsOneEach()
    {
        var sessions = new SessionStore();
        await using var server = await RunningHost.StartAsync(host, Pipeline(sessions, sessionsFirst: false));

        var probes = await ProbeAsync(server);
        var probeSessions = sessions.Created;
        var app1 = await server.GetAsync("/cart");
        var app2 = await server.GetAsync("/cart");
        var returning = await server.GetAsync("/cart", $"Cookie: {SessionMiddleware.CookieName}=s1");
        Print($"{Probes} probes, sessions {probeSessions}; first probe {probes[0]}", app1, app2, returning);

        Assert.That(probeSessions, Is.Zero, "no probe reached the session middleware");
        Assert.That(probes.Where(answer => answer.Status != 200 || answer.SetCookies.Count > 0), Is.Empty, "every probe: 200, no Set-Cookie");
        Assert.That(sessions.Created, Is.EqualTo(2), "one session per app request without the cookie, none for the one with it");
        Assert.That(app1.SetCookies.Single(), Does.StartWith(SessionMiddleware.CookieName + "=s1"));
        Assert.That(app2.SetCookies.Single(), Does.StartWith(SessionMiddleware.CookieName + "=s2"));
        Assert.That(returning.SetCookies, Is.Empty);
    }

    [Test]
    public async Task Control_SessionMiddlewareBeforeOurs_1000Probes_Create1000Sessions()
    {
        var sessions = new SessionStore();
        await using var server = await RunningHost.StartAsync(host, Pipeline(sessions, sessionsFirst: true));

        var probes = await ProbeAsync(server);
        Print($"{Probes} probes, sessions {sessions.Created}; first probe {probes[0]}");

        Assert.That(sessions.Created, Is.EqualTo(Probes), "the failure mode the order prevents: a session per probe");
        Assert.That(probes.Count(answer => answer.SetCookies.Count == 1), Is.EqualTo(Probes));
    }

    // Half ping, half status, sequentially over the client's keep-alive connection.
    private static async Task<List<Answer>> ProbeAsync(RunningHost server)
    {
        var answers = new List<Answer>(Probes);
        for (var i = 0; i < Probes; i++)
        {
            answers.Add(await server.GetAsync(i % 2 == 0 ? "/healthz/ping" : "/healthz/status"));
        }

        return answers;
    }

    private static AppFunc Pipeline(SessionStore sessions, bool sessionsFirst)
    {
        var app = KatanaBuilder.New(CancellationToken.None);
        if (sessionsFirst)
        {
            app.Use(typeof(SessionMiddleware), sessions);
        }

        app.Use(typeof(HealthEndpointMiddleware), new HealthEndpointOptions(), app.Properties);
        if (!sessionsFirst)
        {
            app.Use(typeof(SessionMiddleware), sessions);
        }

        app.Use(typeof(KatanaApp));
        return KatanaBuilder.Build(app);
    }

    private void Print(params object[] lines)
    {
        foreach (var line in lines)
        {
            TestContext.Out.WriteLine($"{host}: {line}");
        }
    }
}
