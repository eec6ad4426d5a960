using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>The pairs that need no database: ping and pass-through against the host's limit, and against Kestrel.</summary>
/// <remarks>Every measured run is <c>wrk -t2 -c32</c> on loopback, as in the findings' HttpListener/Kestrel comparison.</remarks>
internal static class HostScenarios
{
    public const int Threads = 2;
    public const int Connections = 32;

    private const int SlowConnections = 200;

    // Seconds between starting the slow load and measuring: each of the 200 connections has sent its first
    // 1-second request by then, so the app is saturated for the whole measured run.
    private const int SaturationRampSeconds = 2;

    /// <summary>Pair 1: ping through the middleware vs the same host serving a hard-coded pong.</summary>
    public static async Task<ScenarioResult> PingVersusBareHostAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var wrapped = await BenchServer.StartAsync(BenchApps.Wrapped(BenchApps.NoOp));
        await using var bare = await BenchServer.StartAsync(BenchApps.BarePong);
        var pair = await Alternation.RunAsync(
            "1. Ping: middleware vs bare host",
            Load("wrapped ping", wrapped.Url(BenchApps.PingPath), BenchServer.ProcessId),
            Load("bare host pong", bare.Url(BenchApps.PingPath), BenchServer.ProcessId),
            settings,
            cancellationToken);
        return new ScenarioResult(pair, [Figure.AtLeast("Ping load ratio, wrapped / bare host (req/s)", pair.Ratio, 0.97)]);
    }

    /// <summary>Pair 2: a non-health path through the middleware vs the same app unwrapped.</summary>
    public static async Task<ScenarioResult> PassThroughAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var wrapped = await BenchServer.StartAsync(BenchApps.Wrapped(BenchApps.Page));
        await using var unwrapped = await BenchServer.StartAsync(BenchApps.Page);
        var pair = await Alternation.RunAsync(
            "2. Pass-through: wrapped vs unwrapped app",
            Load("wrapped app", wrapped.Url(BenchApps.AppPath), BenchServer.ProcessId),
            Load("unwrapped app", unwrapped.Url(BenchApps.AppPath), BenchServer.ProcessId),
            settings,
            cancellationToken);
        return new ScenarioResult(pair, [Figure.AtLeast("Pass-through load ratio, wrapped / unwrapped (req/s)", pair.Ratio, 0.98)]);
    }

    /// <summary>Pair 4: ping while 200 requests wait one second each in the app vs ping alone, same server.</summary>
    public static async Task<ScenarioResult> PingUnderSaturationAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var server = await BenchServer.StartAsync(BenchApps.Wrapped(BenchApps.SlowPage));
        var ping = Load("ping alone", server.Url(BenchApps.PingPath), BenchServer.ProcessId);
        var saturatedName = $"ping + {SlowConnections} slow in flight";
        var saturated = new Side(
            saturatedName,
            async (seconds, index, token) =>
            {
                var slow = Wrk.RunAsync(
                    new WrkRun(server.Url(BenchApps.SlowPath), 1, SlowConnections, seconds + SaturationRampSeconds + 1, TimeoutSeconds: 10),
                    token);
                var measured = MeasureSaturatedAsync(saturatedName, ping, seconds, index, token);

                // WhenAll waits for both even when one fails, so no wrk outlives the round.
                await Task.WhenAll(slow, measured);
                var slowResult = await slow;
                var round = await measured;
                return round with
                {
                    Companion = slowResult,
                    Notes = round.Notes + $", slow-route errors {slowResult.Errors}",
                };
            },
            // "ping alone" warms the same server's ping path; the slow route is a Task.Delay that each round's
            // ramp runs, and a warm-up of this side would cost a slow-load ramp per one-second chunk.
            WarmsUp: false);
        var pair = await Alternation.RunAsync("4. Ping while the app is saturated", saturated, ping, settings, cancellationToken);
        return new ScenarioResult(pair,
        [
            Figure.AtMost("Ping p99 while 200 requests take 1 s in the app", pair.MedianP99A, TimeSpan.FromMilliseconds(10)),
            Figure.Info("Ping req/s saturated / unsaturated", Format.Ratio(pair.Ratio)
                + $" ({Format.Rate(pair.MedianRpsA)} vs {Format.Rate(pair.MedianRpsB)})"),
        ]);
    }

    /// <summary>Pair 6: the embedded host's ping (through the middleware) vs Kestrel answering the same route.</summary>
    public static async Task<ScenarioResult> HostVersusKestrelAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var wrapped = await BenchServer.StartAsync(BenchApps.Wrapped(BenchApps.NoOp));
        await using var kestrel = await ChildApp.StartKestrelPeerAsync(cancellationToken);
        var pair = await Alternation.RunAsync(
            "6. Embedded host vs Kestrel peer",
            Load("HttpListenerOwinServer ping", wrapped.Url(BenchApps.PingPath), BenchServer.ProcessId),
            Load("Kestrel ping", kestrel.Url(BenchApps.PingPath), kestrel.ProcessId) with { InProcess = false },
            settings,
            cancellationToken);
        return new ScenarioResult(pair, [Figure.AtLeast("Embedded host ping / Kestrel peer (req/s)", pair.Ratio, 0.6)]);
    }

    /// <summary>A side that runs <c>wrk -t2 -c32</c> against <paramref name="url"/> and charges CPU to <paramref name="serverPid"/>.</summary>
    public static Side Load(string name, string url, int serverPid, int threads = Threads, int timeoutSeconds = 5) =>
        new(name, (seconds, index, token) => MeasureAsync(name, index, new WrkRun(url, threads, Connections, seconds, timeoutSeconds), serverPid, token));

    /// <summary>Runs wrk once and reads the server's CPU time around it.</summary>
    public static async Task<Round> MeasureAsync(string side, int index, WrkRun run, int serverPid, CancellationToken cancellationToken)
    {
        var before = ProcessCpu.Read(serverPid);
        var result = await Wrk.RunAsync(run, cancellationToken);
        var after = ProcessCpu.Read(serverPid);
        return new Round(side, index, result, ProcessCpu.PerThousand(before, after, result.Requests));
    }

    // Waits until every slow connection has a request inside the app, measures ping, and records how many slow
    // requests were in the app when the ping run started and ended.
    private static async Task<Round> MeasureSaturatedAsync(string name, Side ping, int seconds, int index, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(SaturationRampSeconds), cancellationToken);
        var atStart = BenchApps.SlowInFlight;
        var round = await ping.RunAsync(seconds, index, cancellationToken);
        var atEnd = BenchApps.SlowInFlight;
        return round with { Side = name, Notes = $"slow requests in the app at start/end of the ping run: {atStart}/{atEnd}" };
    }
}
