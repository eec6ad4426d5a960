using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>A fixture that runs once per host: derived classes carry <c>[TestFixture(HostKind.HttpListener)]</c> and <c>[TestFixture(HostKind.Kestrel)]</c>.</summary>
public abstract class HostFixture
{
    protected HostFixture(HostKind host)
    {
        Host = host;
    }

    /// <summary>The host under test.</summary>
    protected HostKind Host { get; }

    /// <summary>The header names the host itself adds to every response: HttpListener sends Server and Date; Kestrel only Date.</summary>
    protected IReadOnlyList<string> HostHeaderNames => Host == HostKind.HttpListener ? ["Date", "Server"] : ["Date"];

    /// <summary>HttpListener adds <c>Connection: close</c> to 400, 408, 411, 413, 414, 500 and 503 responses; Kestrel keeps the connection.</summary>
    protected bool ClosesOnServerErrorStatus => Host == HostKind.HttpListener;

    /// <summary>
    /// How soon the connection closes after a response that left the request body unread (sent with <c>Connection:
    /// close</c>): HttpListener closes at once; Kestrel when its response drain timeout ends (5 s grace, checked on its
    /// 1 s heartbeat; about 6 s measured), because closing sooner resets the connection before the response arrives.
    /// </summary>
    protected TimeSpan UnreadBodyCloseTimeout => Host == HostKind.HttpListener ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);

    /// <summary>Starts <paramref name="app"/> on this fixture's host, on a free loopback port.</summary>
    private protected Task<TestServer> StartAsync(AppFunc app, string pathBase = "/", Action<HostSettings>? configure = null) =>
        TestServer.StartAsync(Host, app, pathBase, configure);
}
