using System;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>
/// Bytes allocated per request by a server running in this process: <c>GC.GetTotalAllocatedBytes(precise: true)</c>
/// (every thread) around a wrk run, less what this process allocates around a wrk run of the same length against a
/// server in another process (starting wrk, reading its report, timers).
/// </summary>
internal static class AllocationMeter
{
    private static readonly byte[] PongBody = Encoding.ASCII.GetBytes("pong");

    /// <summary>Allocated bytes per request to <paramref name="url"/>, and the baseline subtracted, per request.</summary>
    public static async Task<(double PerRequest, double BaselinePerRequest)> PerRequestAsync(
        string url, string outOfProcessUrl, int seconds, CancellationToken cancellationToken)
    {
        var (baseline, _) = await AllocatedAsync(outOfProcessUrl, seconds, cancellationToken);
        var (allocated, requests) = await AllocatedAsync(url, seconds, cancellationToken);
        var perRequest = Math.Max(0, allocated - baseline) / (double)Math.Max(1, requests);
        return (perRequest, baseline / (double)Math.Max(1, requests));
    }

    /// <summary>
    /// Kestrel in this process answering ping itself (a raw <c>app.Run</c>, the peer's response): the floor the OWIN
    /// host is measured against. Disposing stops it.
    /// </summary>
    public static async Task<(WebApplication App, string Url)> StartBareKestrelAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            app.Run(static context =>
            {
                var response = context.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "text/plain; charset=utf-8";
                response.ContentLength = PongBody.Length;
                response.Headers.CacheControl = "no-store, no-cache";
                response.Headers.XContentTypeOptions = "nosniff";
                return response.Body.WriteAsync(PongBody, 0, PongBody.Length);
            });
            try
            {
                await app.StartAsync();
                return (app, $"http://127.0.0.1:{port}{BenchApps.PingPath}");
            }
            catch (System.IO.IOException) when (attempt < 5)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static async Task<(long Bytes, long Requests)> AllocatedAsync(string url, int seconds, CancellationToken cancellationToken)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await Wrk.RunAsync(new WrkRun(url, HostScenarios.Threads, HostScenarios.Connections, seconds), cancellationToken);
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before, result.Requests);
    }
}
