using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Owin;

namespace HealthEndpoint.Owin.Katana.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// The environment our hosts give is one Katana's own code accepts: a Katana middleware reads
/// <c>IOwinContext.Request</c> (cookies, remote address, path base) and writes <c>Response</c> (status, headers, a
/// cookie, the body, synchronously and asynchronously), behind our middleware, on a prefix with a path base.
/// </summary>
[TestFixture(OurHost.HttpListener)]
[TestFixture(OurHost.Kestrel)]
public sealed class KatanaContextTests(OurHost host)
{
    [Test]
    public async Task KatanaMiddleware_ReadsRequestAndWritesResponse_ThroughOurHost()
    {
        await using var server = await RunningHost.StartAsync(host, Pipeline(static app => app), "/shop/");

        var answer = await server.GetAsync("cart?item=7", "Cookie: user=alice; theme=dark");
        var ping = await server.GetAsync("healthz/ping");
        Print(answer, ping);

        Assert.That(answer.Status, Is.EqualTo(299), "Response.StatusCode");
        Assert.That(answer.Body, Is.EqualTo("user=alice theme=dark ip=127.0.0.1 pathBase=/shop path=/cart query=?item=7 method=GET|written async"));
        Assert.That(answer.SetCookies, Has.Exactly(1).StartsWith("seen=1"), "Response.Cookies.Append");
        Assert.That(ping.ToString(), Is.EqualTo("200 pong"), "our middleware in front, under the same path base");
    }

    [Test]
    public async Task Control_HostKeysTakenOut_KatanaReadsNothing()
    {
        // What Katana reads comes from the host's environment: without server.RemoteIpAddress and the Cookie header
        // (taken out before the pipeline), the same middleware reads empty values.
        await using var server = await RunningHost.StartAsync(host, Pipeline(WithoutRemoteAddressAndCookies), "/shop/");

        var answer = await server.GetAsync("cart?item=7", "Cookie: user=alice; theme=dark");
        Print(answer);

        Assert.That(answer.Body, Is.EqualTo("user= theme= ip= pathBase=/shop path=/cart query=?item=7 method=GET|written async"));
    }

    private static AppFunc Pipeline(Func<AppFunc, AppFunc> hostSide)
    {
        var app = KatanaBuilder.New(CancellationToken.None);
        app.Use(typeof(HealthEndpointMiddleware), new HealthEndpointOptions(), app.Properties);
        app.Use(typeof(ContextEcho));
        return hostSide(KatanaBuilder.Build(app));
    }

    private static AppFunc WithoutRemoteAddressAndCookies(AppFunc app) => environment =>
    {
        environment.Remove("server.RemoteIpAddress");
        ((IDictionary<string, string[]>)environment["owin.RequestHeaders"]).Remove("Cookie");
        return app(environment);
    };

    private void Print(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            TestContext.Out.WriteLine($"{host}: {answer}");
        }
    }
}

/// <summary>Katana code as apps write it: reads the request through <see cref="IOwinContext"/>, writes the response.</summary>
public sealed class ContextEcho(OwinMiddleware next) : OwinMiddleware(next)
{
    public override async Task Invoke(IOwinContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var text = $"user={request.Cookies["user"]} theme={request.Cookies["theme"]} ip={request.RemoteIpAddress} "
            + $"pathBase={request.PathBase} path={request.Path} query={request.QueryString} method={request.Method}";
        context.Response.StatusCode = 299;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.Set("X-Katana", "1");
        context.Response.Cookies.Append("seen", "1");
        context.Response.Write(text);
        await context.Response.WriteAsync("|written async");
    }
}
