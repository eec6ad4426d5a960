using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.KestrelPeer;

/// <summary>
/// Kestrel answering <c>GET /healthz/ping</c> with the bytes the health endpoint sends, for the load bench's
/// "embedded host vs a peer users know" pair. Usage: <c>KestrelPeer --port N [--parent-pid P] [--max-seconds S]</c>.
/// </summary>
/// <remarks>
/// A raw <c>app.Run</c> rather than <c>MapGet</c>: MapGet returning a string answers chunked (no Content-Length)
/// and adds routing, so the comparison would not be like for like. Here both hosts send status 200,
/// Content-Type, Content-Length 4, Cache-Control, X-Content-Type-Options and <c>pong</c>, plus their own
/// Server and Date headers. Logging is cleared, as a production app at this rate would have it.
/// </remarks>
internal static class Program
{
    private static readonly byte[] PongBody = Encoding.ASCII.GetBytes("pong");

    private static async Task<int> Main(string[] args)
    {
        if (!TryReadOption(args, "--port", out var port))
        {
            await Console.Error.WriteLineAsync("Usage: KestrelPeer --port N [--parent-pid P] [--max-seconds S]");
            return 2;
        }

        TryReadOption(args, "--parent-pid", out var parentPid);
        if (!TryReadOption(args, "--max-seconds", out var maxSeconds))
        {
            maxSeconds = 900;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(AnswerAsync);

        await app.StartAsync();
        Console.WriteLine("ready"); // The load bench waits for this line before it sends anything.

        // Bounded: the peer ends when its parent is gone (even after a SIGKILL that skipped the parent's
        // cleanup) or after max-seconds, whichever comes first.
        using var lifetime = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));
        while (!lifetime.IsCancellationRequested && (parentPid == 0 || Directory.Exists($"/proc/{parentPid}")))
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), lifetime.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    private static Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.Path != "/healthz/ping" || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = PongBody.Length;
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(PongBody, 0, PongBody.Length);
    }

    private static bool TryReadOption(string[] args, string name, out int value)
    {
        value = 0;
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length
            && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
