using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance.Kestrel;

/// <summary>
/// A prefix's path means what it says on the Kestrel host: a request whose path lies outside every prefix of the
/// port it came in on is a 404 from the host and never reaches the app, and PathBase comes only from a prefix of
/// that port. (HttpListener enforces both itself.)
/// </summary>
[TestFixture]
public sealed class KestrelPrefixPathTests
{
    [Test]
    public async Task OnePrefixWithPath_PathOutsideIt_404AndAppNotCalled()
    {
        var app = new PathApp();
        await using var server = await TestServer.StartAsync(HostKind.Kestrel, app.InvokeAsync, pathBase: "/app/");

        var response = await server.SendAsync("GET", "/env");

        TestContext.Progress.WriteLine($"Kestrel: GET /env under prefix /app/ -> {response} '{response.BodyText}', app called {app.Calls} time(s)");
        Assert.That((response.StatusCode, app.Calls), Is.EqualTo((404, 0)), $"{response} '{response.BodyText}'");
    }

    [Test]
    public async Task OnePrefixWithPath_ControlPathInsideIt_AppSeesPathBaseAndPath()
    {
        var app = new PathApp();
        await using var server = await TestServer.StartAsync(HostKind.Kestrel, app.InvokeAsync, pathBase: "/app/");

        var response = await server.SendAsync("GET", "/app/env");

        TestContext.Progress.WriteLine($"Kestrel: GET /app/env under prefix /app/ -> {response} '{response.BodyText}'");
        Assert.That((response.StatusCode, response.BodyText), Is.EqualTo((200, "/app|/env")));
    }

    [TestCase(0, "/admin/env", 200, "|/admin/env")]
    [TestCase(1, "/admin/env", 200, "/admin|/env")]
    [TestCase(1, "/env", 404, null)]
    public async Task TwoPrefixesOnTwoPorts_Request_PathBaseOnlyFromItsOwnPort(int portIndex, string target, int status, string? seen)
    {
        var app = new PathApp();
        await using var server = await TestServer.StartAsync(HostKind.Kestrel, app.InvokeAsync, configure: settings => settings.MorePrefixPaths.Add("/admin/"));
        var port = server.Ports[portIndex];
        using var connection = await RawHttpConnection.OpenAsync(port);

        await connection.SendAsync(RawHttpConnection.Request("GET", target, port));
        var response = await connection.ReadResponseAsync();

        TestContext.Progress.WriteLine($"Kestrel: prefixes :{server.Ports[0]}/ and :{server.Ports[1]}/admin/; GET {target} on :{port} -> {response} '{response.BodyText}', app called {app.Calls} time(s)");
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{response} '{response.BodyText}'");
        Assert.That(app.Calls, Is.EqualTo(seen is null ? 0 : 1), "app calls");
        if (seen is not null)
        {
            Assert.That(response.BodyText, Is.EqualTo(seen), "PathBase|Path the app saw");
        }
    }

    // Counts its calls and answers with the PathBase and Path it was given.
    private sealed class PathApp
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task InvokeAsync(IDictionary<string, object> environment)
        {
            Interlocked.Increment(ref _calls);
            var seen = $"{environment["owin.RequestPathBase"]}|{environment["owin.RequestPath"]}";
            return ScenarioApp.ResponseBody(environment).WriteAsync(Encoding.ASCII.GetBytes(seen)).AsTask();
        }
    }
}
