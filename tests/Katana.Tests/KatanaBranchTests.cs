using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Owin;

namespace HealthEndpoint.Owin.Katana.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// Our middleware inside Katana's branches: <c>app.Map("/rt", ...)</c> and <c>app.MapWhen(...)</c> (the endpoints
/// answer under the branch only; outside it Katana's own 404), and <c>UseStageMarker</c> after ours.
/// </summary>
[TestFixture(OurHost.HttpListener)]
[TestFixture(OurHost.Kestrel)]
public sealed class KatanaBranchTests(OurHost host)
{
    private const string BranchHeader = "X-Branch";

    [Test]
    public async Task Map_EndpointsUnderTheBranchBase_KatanasNotFoundOutsideIt()
    {
        var app = KatanaBuilder.New(CancellationToken.None);
        KatanaBuilder.Map(app, "/rt", WithHealthEndpoint);
        await using var server = await RunningHost.StartAsync(host, KatanaBuilder.Build(app));

        var ping = await server.GetAsync("/rt/healthz/ping");
        var status = await server.GetAsync("/rt/healthz/status");
        var branchApp = await server.GetAsync("/rt/tickets");
        var outsidePing = await server.GetAsync("/healthz/ping");
        var outsideStatus = await server.GetAsync("/healthz/status");
        Print(ping, status, branchApp, outsidePing, outsideStatus);

        Assert.That(ping.ToString(), Is.EqualTo("200 pong"));
        Assert.That(status.Status, Is.EqualTo(200));
        Assert.That(status.Body, Does.EndWith("\"status\":\"ok\"}"));
        Assert.That(branchApp.ToString(), Is.EqualTo("200 app /rt/tickets"), "the branch's app sees PathBase /rt");
        Assert.That(outsidePing.ToString(), Is.EqualTo("404 "), "outside the branch: Katana's default app, 404 with no body");
        Assert.That(outsideStatus.ToString(), Is.EqualTo("404 "));
    }

    [Test]
    public async Task MapWhen_EndpointsWhenThePredicateHolds_KatanasNotFoundOtherwise()
    {
        var app = KatanaBuilder.New(CancellationToken.None);
        KatanaBuilder.MapWhen(app, context => context.Request.Headers[BranchHeader] == "health", WithHealthEndpoint);
        await using var server = await RunningHost.StartAsync(host, KatanaBuilder.Build(app));

        var ping = await server.GetAsync("/healthz/ping", $"{BranchHeader}: health");
        var branchApp = await server.GetAsync("/tickets", $"{BranchHeader}: health");
        var otherPing = await server.GetAsync("/healthz/ping");
        Print(ping, branchApp, otherPing);

        Assert.That(ping.ToString(), Is.EqualTo("200 pong"));
        Assert.That(branchApp.ToString(), Is.EqualTo("200 app /tickets"));
        Assert.That(otherPing.ToString(), Is.EqualTo("404 "), "the predicate does not hold: Katana's default app");
    }

    [Test]
    public async Task UseStageMarkerAfterOurs_EndpointsAndTheAppAnswer()
    {
        var app = KatanaBuilder.New(CancellationToken.None);
        app.Use(typeof(HealthEndpointMiddleware), new HealthEndpointOptions(), app.Properties);
        KatanaBuilder.UseStageMarker(app, PipelineStage.Authenticate);
        app.Use(typeof(KatanaApp));
        KatanaBuilder.UseStageMarker(app, PipelineStage.PreHandlerExecute);
        await using var server = await RunningHost.StartAsync(host, KatanaBuilder.Build(app));

        var ping = await server.GetAsync("/healthz/ping");
        var status = await server.GetAsync("/healthz/status");
        var appAnswer = await server.GetAsync("/tickets");
        Print(ping, status, appAnswer);

        Assert.That(ping.ToString(), Is.EqualTo("200 pong"));
        Assert.That(status.Status, Is.EqualTo(200));
        Assert.That(appAnswer.ToString(), Is.EqualTo("200 app /tickets"));
    }

    // The branch: ours first, with the branch's properties (which Katana's New() shares with the root), then the app.
    private static void WithHealthEndpoint(IAppBuilder branch)
    {
        branch.Use(typeof(HealthEndpointMiddleware), new HealthEndpointOptions(), branch.Properties);
        branch.Use(typeof(KatanaApp));
    }

    private void Print(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            TestContext.Out.WriteLine($"{host}: {answer}");
        }
    }
}
