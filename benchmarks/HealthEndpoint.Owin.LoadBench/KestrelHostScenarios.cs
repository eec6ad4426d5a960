using System.Threading;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.LoadBench;

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
        return new ScenarioResult(pair, [Figure.AtLeast("Kestrel OWIN host ping / Kestrel peer (req/s)", pair.Ratio, 0.9)]);
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
