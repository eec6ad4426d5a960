using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.AspNetCorePeer;

/// <summary>
/// ASP.NET Core Health Checks with Xabaril's <c>AddNpgSql</c> and <c>AddRedis</c>, as their READMEs set them up,
/// for the load bench's "ours vs the peer" pairs.
/// Usage: <c>AspNetCorePeer --port N --postgres CS --redis CS [--variant peer|runner|ours] [--parent-pid P] [--max-seconds S]</c>.
/// </summary>
/// <remarks>
/// Pair 10's variants are the same app: <c>peer</c> as below; <c>runner</c> with <c>AddHealthEndpointRunner()</c>
/// under the same <c>MapHealthChecks</c>; <c>ours</c> with our endpoints in front of routing (<c>UseHealthEndpoint()</c>)
/// over the same registrations. A variant also maps <c>/bench/allocated</c> (the process's allocated bytes) for the
/// bytes-per-ping figure; without <c>--variant</c> the app is exactly pair 9's peer.
/// </remarks>
/// <remarks>
/// Every documented default is kept: no timeout on either check (the drivers' own apply), no caching (ASP.NET Core
/// Health Checks has none), <c>MapHealthChecks</c>' default writer and status codes (200 Healthy, 503 Unhealthy).
/// The one change from <c>WebApplication.CreateBuilder</c>'s bare defaults is the one every template app ships in
/// its appsettings.json: <c>Microsoft.AspNetCore</c> logs at Warning, so that requests are not written to the console.
/// </remarks>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var port = Option(args, "--port");
        var postgres = Option(args, "--postgres");
        var redis = Option(args, "--redis");
        if (port is null || postgres is null || redis is null)
        {
            await Console.Error.WriteLineAsync("Usage: AspNetCorePeer --port N --postgres CS --redis CS [--variant peer|runner|ours] [--parent-pid P] [--max-seconds S]");
            return 2;
        }

        var parentPid = int.Parse(Option(args, "--parent-pid") ?? "0", CultureInfo.InvariantCulture);
        var maxSeconds = int.Parse(Option(args, "--max-seconds") ?? "900", CultureInfo.InvariantCulture);

        var builder = WebApplication.CreateBuilder();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)));
        var variant = Option(args, "--variant");
        builder.Services.AddHealthChecks()
            .AddNpgSql(postgres)
            .AddRedis(redis);
        if (variant == "runner")
        {
            builder.Services.AddHealthEndpointRunner();
        }

        if (variant == "ours")
        {
            builder.Services.AddHealthEndpoint(_ => { });
        }

        var app = builder.Build();
        if (variant == "ours")
        {
            app.UseHealthEndpoint();
        }

        if (variant is not null)
        {
            app.MapGet("/bench/allocated", () => GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture));
        }

        app.MapGet("/healthz/ping", () => "pong");
        app.MapHealthChecks("/healthz/status");

        await app.StartAsync();
        Console.WriteLine("ready");

        // Bounded: the peer ends when its parent is gone (even after a SIGKILL that skipped the parent's cleanup)
        // or after max-seconds, whichever comes first.
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

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
