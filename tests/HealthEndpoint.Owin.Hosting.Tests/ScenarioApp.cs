using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// An app that answers each path with one kind of response (explicit length, buffered, streamed, flushed,
/// empty 404, thrown exception...), wrapped in the health middleware twice: <c>/healthz/*</c> with no checks
/// (status 200) and <c>/failing/*</c> with a database check that throws (status 503).
/// </summary>
internal static class ScenarioApp
{
    /// <summary>Bigger than <see cref="HttpListenerOwinServerOptions.ResponseBufferSize"/>, so it is streamed.</summary>
    public const int LargeBodyLength = 200 * 1024;

    public static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello world");

    public static readonly byte[] Early = Encoding.ASCII.GetBytes("early;");

    public static readonly byte[] Late = Encoding.ASCII.GetBytes("late");

    /// <summary>The app with both health middlewares in front of it.</summary>
    public static AppFunc Create()
    {
        AppFunc app = InvokeAsync;
        app = HealthEndpointMiddleware.Wrap(app, new HealthEndpointOptions());
        return HealthEndpointMiddleware.Wrap(app, new HealthEndpointOptions
        {
            PingPath = "/failing/ping",
            StatusPath = "/failing/status",
            Database = _ => throw new InvalidOperationException("database is down"),
            StatusCacheDuration = TimeSpan.Zero,
        });
    }

    /// <summary>The expected body of <paramref name="path"/>'s GET response.</summary>
    public static byte[] ExpectedBody(string path) => path switch
    {
        "/healthz/ping" => Encoding.ASCII.GetBytes("pong"),
        "/healthz/status" => Encoding.ASCII.GetBytes("""{"checks":{"database":"skipped","redis":"skipped"},"status":"ok"}"""),
        "/failing/status" => Encoding.ASCII.GetBytes("""{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}"""),
        "/explicit-length" or "/buffered" => Hello,
        "/method-not-allowed" => Encoding.ASCII.GetBytes("use GET"),
        "/large" => LargeBody(),
        "/flushed" => [.. Early, .. Late],
        _ => [],
    };

    public static byte[] LargeBody()
    {
        var body = new byte[LargeBodyLength];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        return body;
    }

    public static IDictionary<string, string[]> ResponseHeaders(IDictionary<string, object> environment) =>
        (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];

    public static Stream ResponseBody(IDictionary<string, object> environment) => (Stream)environment["owin.ResponseBody"];

    private static async Task InvokeAsync(IDictionary<string, object> environment)
    {
        var path = (string)environment["owin.RequestPath"];
        var headers = ResponseHeaders(environment);
        var body = ResponseBody(environment);
        switch (path)
        {
            case "/explicit-length":
                headers["Content-Type"] = ["text/plain"];
                headers["Content-Length"] = ["11"];
                await body.WriteAsync(Hello);
                break;
            case "/buffered":
                headers["Content-Type"] = ["text/plain"];
                await body.WriteAsync(Hello);
                break;
            case "/large":
                var large = LargeBody();
                for (var offset = 0; offset < large.Length; offset += 16 * 1024)
                {
                    await body.WriteAsync(large.AsMemory(offset, Math.Min(16 * 1024, large.Length - offset)));
                }

                break;
            case "/flushed":
                await body.WriteAsync(Early);
                await body.FlushAsync();
                await body.WriteAsync(Late);
                break;
            case "/not-found":
                environment["owin.ResponseStatusCode"] = 404;
                break;
            case "/no-content":
                environment["owin.ResponseStatusCode"] = 204;
                break;
            case "/method-not-allowed":
                environment["owin.ResponseStatusCode"] = 405;
                headers["Allow"] = ["GET"];
                await body.WriteAsync(Encoding.ASCII.GetBytes("use GET"));
                break;
            case "/throws":
                headers["Set-Cookie"] = ["session=must-not-leak"];
                throw new InvalidOperationException("the app failed before writing");
            default:
                environment["owin.ResponseStatusCode"] = 418;
                break;
        }
    }
}
