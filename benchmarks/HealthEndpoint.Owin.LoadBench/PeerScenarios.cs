using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>One row of the table against the peer: a figure, both sides, their ratio, our target and whether we met it.</summary>
internal sealed record PeerRow(string Name, string Ours, string Peer, string Ratio, string Target, bool? Met);

/// <summary>
/// Pair 9: ours (LegacyApp on the Kestrel OWIN host, its defaults) against ASP.NET Core Health Checks with Xabaril's
/// checks (benchmarks/AspNetCorePeer, its documented defaults), both child processes against the same PostgreSQL
/// and Redis, alternated A B A B: status flood, PostgreSQL frozen under load, recovery and outage per fault,
/// cold start, ping.
/// </summary>
internal static class PeerScenarios
{
    public const string Title = "9. Ours vs ASP.NET Core Health Checks";
    private const int ColdStartClients = 32;
    private const int WarmupSeconds = 3;
    private static readonly TimeSpan CheckTimeout = new HealthEndpointOptions().CheckTimeout;
    private static readonly TimeSpan RecoveryTarget = TimeSpan.FromMilliseconds(100);

    public static async Task<ScenarioResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        Console.WriteLine($"== {Title}: starting PostgreSQL (pg_stat_statements) and Redis");
        await using var sides = await PeerSides.StartAsync(cancellationToken);
        var rows = new List<PeerRow>();
        var notes = new List<string>();

        var cold = await ColdStartAsync(sides, settings.Rounds, cancellationToken);
        await using var ours = await sides.StartOursAsync(cacheOff: false, cancellationToken);
        await using var oursNoCache = await sides.StartOursAsync(cacheOff: true, cancellationToken);
        await using var peer = await sides.StartPeerAsync(cancellationToken);
        foreach (var app in new[] { ours, oursNoCache, peer })
        {
            await PeerSides.WaitUntilHealthyAsync(app, cancellationToken);
            await Wrk.RunAsync(new WrkRun(app.Url(BenchApps.StatusPath), HostScenarios.Threads, HostScenarios.Connections, WarmupSeconds), cancellationToken);
            await Wrk.RunAsync(new WrkRun(app.Url(BenchApps.PingPath), HostScenarios.Threads, HostScenarios.Connections, WarmupSeconds), cancellationToken);
        }

        var flood = await Alternation.RunAsync(
            Title + ": status flood", Metered(sides, PeerSides.OursName, ours), Metered(sides, PeerSides.PeerName, peer), settings, cancellationToken);
        var floodNoCache = await Alternation.RunAsync(
            Title + ": status flood, our cache off", Metered(sides, "ours, StatusCacheDuration 0", oursNoCache), Metered(sides, PeerSides.PeerName, peer), settings, cancellationToken);
        var ping = await Alternation.RunAsync(
            Title + ": ping",
            HostScenarios.Load(PeerSides.OursName + " ping", ours.Url(BenchApps.PingPath), ours.ProcessId) with { InProcess = false },
            HostScenarios.Load(PeerSides.PeerName + " ping", peer.Url(BenchApps.PingPath), peer.ProcessId) with { InProcess = false },
            settings,
            cancellationToken);

        rows.Add(new PeerRow("Status flood, all healthy, req/s (wrk -t2 -c32)", Format.Rate(flood.MedianRpsA), Format.Rate(flood.MedianRpsB),
            Format.Ratio(flood.Ratio) + "×", "≥ 5×", flood.Ratio >= 5));
        rows.Add(new PeerRow("Status flood, our cache off, req/s", Format.Rate(floodNoCache.MedianRpsA), Format.Rate(floodNoCache.MedianRpsB),
            Format.Ratio(floodNoCache.Ratio) + "×", "—", null));
        var perRequest = TransactionsPerRequest(flood);
        var perRequestNoCache = TransactionsPerRequest(floodNoCache);
        rows.Add(new PeerRow("PostgreSQL transactions per status request", Invariant($"{perRequest.Ours:0.00000}"), Invariant($"{perRequest.Peer:0.00}"),
            perRequest.Ours == 0 ? "—" : Invariant($"1/{perRequest.Peer / perRequest.Ours:N0}"), "≤ 0.001", perRequest.Ours <= 0.001));
        rows.Add(new PeerRow("PostgreSQL transactions per status request, our cache off", Invariant($"{perRequestNoCache.Ours:0.0000}"), Invariant($"{perRequestNoCache.Peer:0.00}"),
            "—", "—", null));

        var deadline = CheckTimeout + TimeSpan.FromMilliseconds(250);
        Console.WriteLine($"== {Title}: PostgreSQL frozen {PeerFaults.FrozenWindow.TotalSeconds:0} s under {PeerFaults.FrozenClients} clients");
        var frozenOurs = await PeerFaults.FrozenAsync(sides, ours, deadline, cancellationToken);
        Console.WriteLine($"   ours: {frozenOurs}");
        var frozenPeer = await PeerFaults.FrozenAsync(sides, peer, deadline, cancellationToken);
        Console.WriteLine($"   peer: {frozenPeer}");
        rows.Add(new PeerRow(
            Invariant($"PostgreSQL frozen {PeerFaults.FrozenWindow.TotalSeconds:0} s, {PeerFaults.FrozenClients} clients: slowest status answered"),
            Format.Latency(frozenOurs.Slowest), Format.Latency(frozenPeer.Slowest), Format.Ratio(frozenOurs.Slowest / frozenPeer.Slowest) + "×",
            "≤ " + Format.Latency(deadline) + " (CheckTimeout + 250 ms)", frozenOurs.Slowest <= deadline && frozenOurs.Unanswered == 0));
        rows.Add(new PeerRow(
            "… answers past CheckTimeout + 250 ms / no answer within 15 s",
            Invariant($"{frozenOurs.PastDeadline} of {frozenOurs.Answers} / {frozenOurs.Unanswered}"),
            Invariant($"{frozenPeer.PastDeadline} of {frozenPeer.Answers} / {frozenPeer.Unanswered}"), "—", "0 / 0", frozenOurs.PastDeadline == 0 && frozenOurs.Unanswered == 0));
        rows.Add(new PeerRow("… new PostgreSQL connection attempts", Invariant($"{frozenOurs.ConnectionAttempts}"), Invariant($"{frozenPeer.ConnectionAttempts}"),
            "—", "≤ 1", frozenOurs.ConnectionAttempts <= 1));

        foreach (var fault in PeerFaults.All(sides))
        {
            Console.WriteLine($"== {Title}: {fault.Name}, {Trials} trials per side, alternated");
            var oursTrials = new FaultTrials(fault.Name, "ours", new List<TimeSpan?>(), new List<TimeSpan?>());
            var peerTrials = new FaultTrials(fault.Name, "peer", new List<TimeSpan?>(), new List<TimeSpan?>());
            for (var trial = 1; trial <= Trials; trial++)
            {
                foreach (var (app, record) in new[] { (ours, oursTrials), (peer, peerTrials) })
                {
                    var (outage, recovery) = await PeerFaults.TrialAsync(app, fault, cancellationToken);
                    ((List<TimeSpan?>)record.Outages).Add(outage);
                    ((List<TimeSpan?>)record.Recoveries).Add(recovery);
                    Console.WriteLine($"   {fault.Name} trial {trial} {record.Side}: outage shown after {Show(outage, fault.OutageLimit)}, first 200 after {Show(recovery, null)}");
                }
            }

            var ourMedian = Median(oursTrials.Recoveries);
            var ourWorst = Worst(oursTrials.Recoveries);
            rows.Add(new PeerRow(
                $"Recovery, {fault.Name}: first 200 after the server accepts again, median / worst of {Trials} (10 ms polling)",
                $"{Show(ourMedian, null)} / {Show(ourWorst, null)}",
                $"{Show(Median(peerTrials.Recoveries), null)} / {Show(Worst(peerTrials.Recoveries), null)}",
                "—", "≤ 100 ms / ≤ 100 ms", ourMedian <= RecoveryTarget && ourWorst <= RecoveryTarget));
            var outageLimit = CheckTimeout + TimeSpan.FromSeconds(1);
            var ourOutage = Worst(oursTrials.Outages);
            rows.Add(new PeerRow(
                $"Time until the outage shows (first non-200), {fault.Name.Split(' ')[0]} {(fault.Name.EndsWith("thaw", StringComparison.Ordinal) ? "frozen" : "stopped")}, median / worst",
                $"{Show(Median(oursTrials.Outages), fault.OutageLimit)} / {Show(ourOutage, fault.OutageLimit)}",
                $"{Show(Median(peerTrials.Outages), fault.OutageLimit)} / {Show(Worst(peerTrials.Outages), fault.OutageLimit)}",
                "—", "≤ " + Format.Latency(outageLimit) + " (CheckTimeout + 1 s)", ourOutage <= outageLimit));
        }

        rows.Add(new PeerRow(
            Invariant($"Cold start: first 200 while {ColdStartClients} clients flood status from the first ping 200, median of {settings.Rounds}"),
            Show(cold.Ours, null), Show(cold.Peer, null), "—", "≤ 1.00 s", cold.Ours <= TimeSpan.FromSeconds(1)));
        rows.Add(new PeerRow("Ping req/s (wrk -t2 -c32)", Format.Rate(ping.MedianRpsA), Format.Rate(ping.MedianRpsB), Format.Ratio(ping.Ratio) + "×", "≥ 1×", ping.Ratio >= 1));
        var cpuOurs = PairResult.Median(ping.RoundsA.Select(round => round.CpuMillisecondsPerThousand ?? double.NaN));
        var cpuPeer = PairResult.Median(ping.RoundsB.Select(round => round.CpuMillisecondsPerThousand ?? double.NaN));
        rows.Add(new PeerRow("Server CPU per 1,000 pings, ms", Invariant($"{cpuOurs:0.0}"), Invariant($"{cpuPeer:0.0}"), Format.Ratio(cpuOurs / cpuPeer) + "×", "≤ peer", cpuOurs <= cpuPeer));
        var statusCpuOurs = PairResult.Median(flood.RoundsA.Select(round => round.CpuMillisecondsPerThousand ?? double.NaN));
        var statusCpuPeer = PairResult.Median(flood.RoundsB.Select(round => round.CpuMillisecondsPerThousand ?? double.NaN));
        rows.Add(new PeerRow("Server CPU per 1,000 status requests, ms", Invariant($"{statusCpuOurs:0.0}"), Invariant($"{statusCpuPeer:0.0}"), Format.Ratio(statusCpuOurs / statusCpuPeer) + "×", "—", null));

        notes.Add($"Cold start per round (ours / peer): {string.Join(", ", cold.Rounds.Select(round => $"{Show(round.Ours, null)} / {Show(round.Peer, null)}"))}.");
        return new ScenarioResult(flood, [])
        {
            MorePairs = [floodNoCache, ping],
            PeerRows = rows,
            PeerNotes = notes,
        };
    }

    private const int Trials = 5;

    internal static Side Metered(PeerSides sides, string name, ChildApp app) => new(
        name,
        async (seconds, index, token) =>
        {
            var before = await sides.Statements.ReadAsync(token);
            var round = await HostScenarios.MeasureAsync(
                name, index, new WrkRun(app.Url(BenchApps.StatusPath), HostScenarios.Threads, HostScenarios.Connections, seconds), app.ProcessId, token);
            var statements = await sides.Statements.ReadAsync(token) - before;
            return round with
            {
                DatabaseRoundTrips = statements,
                Notes = Invariant($"PostgreSQL statements {statements} ({statements / (double)Math.Max(1, round.Wrk.Requests):0.000000}/request), non-2xx {round.Wrk.Non2xx}"),
            };
        },
        InProcess: false);

    internal static (double Ours, double Peer) TransactionsPerRequest(PairResult pair)
    {
        static double PerRequest(Round round) => round.DatabaseRoundTrips!.Value / Math.Max(1, round.Wrk.Requests);
        return (PairResult.Median(pair.RoundsA.Select(PerRequest)), PairResult.Median(pair.RoundsB.Select(PerRequest)));
    }

    // Each round starts a new process of each side, waits for its first ping 200, then floods status from 32 clients.
    private static async Task<(TimeSpan? Ours, TimeSpan? Peer, List<(TimeSpan? Ours, TimeSpan? Peer)> Rounds)> ColdStartAsync(
        PeerSides sides, int rounds, CancellationToken cancellationToken)
    {
        Console.WriteLine($"== {Title}: cold start, {rounds} rounds alternated");
        var results = new List<(TimeSpan? Ours, TimeSpan? Peer)>();
        for (var round = 1; round <= rounds; round++)
        {
            var ours = await FirstStatusAsync(() => sides.StartOursAsync(cacheOff: false, cancellationToken), cancellationToken);
            var peer = await FirstStatusAsync(() => sides.StartPeerAsync(cancellationToken), cancellationToken);
            Console.WriteLine($"   round {round}: ours {Show(ours, null)}, peer {Show(peer, null)}");
            results.Add((ours, peer));
        }

        return (Median(results.Select(result => result.Ours).ToList()), Median(results.Select(result => result.Peer).ToList()), results);
    }

    private static async Task<TimeSpan?> FirstStatusAsync(Func<Task<ChildApp>> start, CancellationToken cancellationToken)
    {
        await using var app = await start();
        var pingAnswered = await PeerSides.WaitUntilPingAnswersAsync(app, cancellationToken);
        return await StatusClients.FirstSuccessAsync(
            new Uri(app.Url(BenchApps.StatusPath)), ColdStartClients, pingAnswered, TimeSpan.FromSeconds(60), cancellationToken);
    }

    // Null (never within the limit) sorts last: it is the worst.
    private static TimeSpan? Median(IReadOnlyList<TimeSpan?> values)
    {
        var sorted = values.OrderBy(value => value ?? TimeSpan.MaxValue).ToList();
        return sorted.Count == 0 ? null : sorted[(sorted.Count - 1) / 2];
    }

    private static TimeSpan? Worst(IReadOnlyList<TimeSpan?> values) => values.Any(value => value is null) ? null : values.Max();

    private static string Show(TimeSpan? value, TimeSpan? limit) =>
        value is TimeSpan time ? Format.Latency(time) : limit is TimeSpan bound ? "> " + Format.Latency(bound) : "never";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
