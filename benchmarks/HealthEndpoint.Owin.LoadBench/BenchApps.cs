using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>The trivial OWIN apps the pairs serve, each answering with fixed bytes.</summary>
/// <remarks>
/// Header arrays and bodies are shared across requests: these apps stand for "the least work an app can do", and
/// HttpListenerOwinServer only reads them. The middleware, by contrast, builds new header arrays per response because the
/// OWIN contract lets a server change them in place; that difference is part of what the ratios measure.
/// </remarks>
internal static class BenchApps
{
    public const string PingPath = "/healthz/ping";
    public const string StatusPath = "/healthz/status";
    public const string AppPath = "/app/page";
    public const string SlowPath = "/slow";

    private static readonly byte[] PongBody = Encoding.ASCII.GetBytes("pong");
    private static readonly byte[] PageBody = Encoding.ASCII.GetBytes("hello from the app");
    private static readonly object Status200 = 200;
    private static int _slowInFlight;

    // The same header set the middleware's ping sends, so that wrapped and bare ping put the same bytes on the wire.
    private static readonly (string Name, string[] Value)[] PongHeaders =
    [
        ("Content-Type", ["text/plain; charset=utf-8"]),
        ("Content-Length", ["4"]),
        ("Cache-Control", ["no-store, no-cache"]),
        ("X-Content-Type-Options", ["nosniff"]),
    ];

    private static readonly (string Name, string[] Value)[] PageHeaders =
    [
        ("Content-Type", ["text/plain; charset=utf-8"]),
        ("Content-Length", [PageBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
    ];

    /// <summary>Answers nothing itself (200, empty body); the inner app of the wrapped ping and status servers.</summary>
    public static readonly AppFunc NoOp = static _ => Task.CompletedTask;

    /// <summary>The host's limit for ping: a hard-coded 200 <c>pong</c>, Content-Length 4, no middleware, any path.</summary>
    public static readonly AppFunc BarePong = static environment => Answer(environment, PongHeaders, PongBody);

    /// <summary>The pass-through pair's app: 200 with a small fixed body on any path.</summary>
    public static readonly AppFunc Page = static environment => Answer(environment, PageHeaders, PageBody);

    /// <summary>Takes one second on <see cref="SlowPath"/> (an app busy with a slow page), else answers <see cref="Page"/>.</summary>
    public static readonly AppFunc SlowPage = static environment =>
        (string)environment["owin.RequestPath"] == SlowPath ? AnswerSlowlyAsync(environment) : Page(environment);

    /// <summary>How many <see cref="SlowPath"/> requests are inside the app right now: the proof of saturation.</summary>
    public static int SlowInFlight => Volatile.Read(ref _slowInFlight);

    /// <summary><paramref name="app"/> behind the health endpoint, with the given checks and limits.</summary>
    public static AppFunc Wrapped(AppFunc app, HealthEndpointOptions? options = null) =>
        HealthEndpointMiddleware.Wrap(app, options ?? new HealthEndpointOptions());

    private static async Task AnswerSlowlyAsync(IDictionary<string, object> environment)
    {
        Interlocked.Increment(ref _slowInFlight);
        try
        {
            await Task.Delay(1000);
        }
        finally
        {
            Interlocked.Decrement(ref _slowInFlight);
        }

        await Answer(environment, PageHeaders, PageBody);
    }

    private static Task Answer(IDictionary<string, object> environment, (string Name, string[] Value)[] headers, byte[] body)
    {
        environment["owin.ResponseStatusCode"] = Status200;
        var responseHeaders = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
        foreach (var (name, value) in headers)
        {
            responseHeaders[name] = value;
        }

        return ((Stream)environment["owin.ResponseBody"]).WriteAsync(body, 0, body.Length);
    }
}
