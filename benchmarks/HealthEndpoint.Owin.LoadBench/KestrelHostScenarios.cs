using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>The Kestrel OWIN host's pairs (issue 10): its ping against plain Kestrel, its pass-through against HttpListener.</summary>
internal static class KestrelHostScenarios
{
    /// <summary>Pair 7: ping through the middleware on the Kestrel OWIN host vs Kestrel answering the same route itself.</summary>
    /// <remarks>
    /// The peer is the same Kestrel, in its own process, with a raw <c>app.Run</c> that sends the bytes the middleware
    /// sends: the ratio is the cost of the OWIN environment, the host's response buffering and the middleware.
    /// </remarks>
    public static async Task<ScenarioResult> PingVersusKestrelPeerAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var owin = await BenchServer.StartKestrelAsync(BenchApps.Wrapped(BenchApps.NoOp));
        await using var kestrel = await ChildApp.StartKestrelPeerAsync(cancellationToken);
        var pair = await Alternation.RunAsync(
            "7. Kestrel OWIN host vs Kestrel peer",
            HostScenarios.Load("Kestrel OWIN host ping", owin.Url(BenchApps.PingPath), BenchServer.ProcessId),
            HostScenarios.Load("Kestrel peer ping", kestrel.Url(BenchApps.PingPath), kestrel.ProcessId) with { InProcess = false },
            settings,
            cancellationToken);
        // Allocation per ping, in this process, after the pair has warmed both paths; Kestrel answering the route
        // itself (in this process too) is the floor.
        var (owinBytes, baseline) = await AllocationMeter.PerRequestAsync(
            owin.Url(BenchApps.PingPath), kestrel.Url(BenchApps.PingPath), settings.DurationSeconds, cancellationToken);
        var (bare, bareUrl) = await AllocationMeter.StartBareKestrelAsync();
        double bareBytes;
        await using (bare)
        {
            await Wrk.RunAsync(new WrkRun(bareUrl, HostScenarios.Threads, HostScenarios.Connections, settings.WarmupSeconds + 1), cancellationToken);
            (bareBytes, _) = await AllocationMeter.PerRequestAsync(bareUrl, kestrel.Url(BenchApps.PingPath), settings.DurationSeconds, cancellationToken);
        }

        Console.WriteLine($"   allocated per ping: Kestrel OWIN host {owinBytes:0} B, bare Kestrel {bareBytes:0} B (baseline {baseline:0.0} B/request subtracted)");
        return new ScenarioResult(pair,
        [
            Figure.AtLeast("Kestrel OWIN host ping / Kestrel peer (req/s)", pair.Ratio, 0.9),
            Figure.AtMost("Kestrel OWIN host: bytes allocated per ping (GC.GetTotalAllocatedBytes over a wrk run, in-process)", owinBytes, 256, "0"),
            Figure.Info("Bare Kestrel (raw app.Run, in-process): bytes allocated per ping", bareBytes.ToString("0", System.Globalization.CultureInfo.InvariantCulture)),
            Figure.AtMost(
                "Kestrel OWIN host: server CPU ms per 1,000 pings / Kestrel peer's",
                PairResult.Median(pair.RoundsA.Select(round => round.CpuMillisecondsPerThousand ?? double.NaN)) /
                PairResult.Median(pair.RoundsB.Select(round => round.CpuMillisecondsPerThousand ?? double.NaN)),
                1.0,
                "0.00"),
        ]);
    }

    /// <summary>Pair 8: the same wrapped app on a non-health path, served by the Kestrel OWIN host vs the HttpListener host.</summary>
    public static async Task<ScenarioResult> PassThroughVersusHttpListenerAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var kestrel = await BenchServer.StartKestrelAsync(BenchApps.Wrapped(BenchApps.Page));
        await using var httpListener = await BenchServer.StartAsync(BenchApps.Wrapped(BenchApps.Page));
        var pair = await Alternation.RunAsync(
            "8. Pass-through: Kestrel OWIN host vs HttpListener host",
            HostScenarios.Load("Kestrel OWIN host app", kestrel.Url(BenchApps.AppPath), BenchServer.ProcessId),
            HostScenarios.Load("HttpListener host app", httpListener.Url(BenchApps.AppPath), BenchServer.ProcessId),
            settings,
            cancellationToken);
        return new ScenarioResult(pair, [Figure.Info("Pass-through req/s, Kestrel OWIN host / HttpListener host", Format.Ratio(pair.Ratio))]);
    }
}
