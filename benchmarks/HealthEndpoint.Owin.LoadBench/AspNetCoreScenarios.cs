using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>One row of pair 10's table: a figure for each variant of the app, the target and whether it was met.</summary>
internal sealed record AspNetCoreRow(string Name, string Ours, string Runner, string Peer, string Target, bool? Met);

/// <summary>
/// Pair 10: one ASP.NET Core app (benchmarks/AspNetCorePeer) with Xabaril's PostgreSQL and Redis registrations, in
/// three variants, each a child process against the same PostgreSQL and Redis: ours (our endpoints in the app),
/// runner (<c>AddHealthEndpointRunner()</c> under the same <c>MapHealthChecks</c>) and peer (<c>MapHealthChecks</c>
/// alone, <c>MapGet</c> for ping). Status flood, PostgreSQL frozen under load, ping and its allocations, cold start.
/// </summary>
internal static class AspNetCoreScenarios
{
    public const string Title = "10. One ASP.NET Core app: ours, the opt-in runner, MapHealthChecks";
    private const string Ours = "ours";
    private const string Runner = "runner";
    private const string Peer = "peer";
    private const int ColdStartClients = 32;
    private const int WarmupSeconds = 3;
    private const double AllocationAllowance = 128;
    private static readonly TimeSpan CheckTimeout = new HealthEndpointOptions().CheckTimeout;

    public static async Task<ScenarioResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        Console.WriteLine($"== {Title}: starting PostgreSQL (pg_stat_statements) and Redis");
        await using var sides = await PeerSides.StartAsync(cancellationToken);
        var variants = new[] { Ours, Runner, Peer };

        Console.WriteLine($"== {Title}: cold start, {settings.Rounds} rounds alternated");
        var cold = variants.ToDictionary(variant => variant, _ => new List<TimeSpan?>());
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var variant in variants)
            {
                cold[variant].Add(await FirstStatusAsync(sides, variant, cancellationToken));
            }

            Console.WriteLine($"   round {round}: {string.Join(", ", variants.Select(variant => $"{variant} {Show(cold[variant][^1])}"))}");
        }

        await using var ours = await sides.StartPeerAsync(cancellationToken, Ours);
        await using var runner = await sides.StartPeerAsync(cancellationToken, Runner);
        await using var peer = await sides.StartPeerAsync(cancellationToken, Peer);
        foreach (var app in new[] { ours, runner, peer })
        {
            await PeerSides.WaitUntilHealthyAsync(app, cancellationToken);
            await Wrk.RunAsync(new WrkRun(app.Url(BenchApps.StatusPath), HostScenarios.Threads, HostScenarios.Connections, WarmupSeconds), cancellationToken);
            await Wrk.RunAsync(new WrkRun(app.Url(BenchApps.PingPath), HostScenarios.Threads, HostScenarios.Connections, WarmupSeconds), cancellationToken);
        }

        var flood = await Alternation.RunAsync(
            Title + ": status flood", PeerScenarios.Metered(sides, Ours, ours), PeerScenarios.Metered(sides, Peer, peer), settings, cancellationToken);
        var floodRunner = await Alternation.RunAsync(
            Title + ": status flood, runner", PeerScenarios.Metered(sides, Runner, runner), PeerScenarios.Metered(sides, Peer, peer), settings, cancellationToken);
        var allocated = new Dictionary<string, List<double>> { [Ours] = [], [Peer] = [] };
        var ping = await Alternation.RunAsync(
            Title + ": ping", PingSide(Ours, ours, allocated[Ours]), PingSide(Peer, peer, allocated[Peer]), settings, cancellationToken);

        var deadline = CheckTimeout + TimeSpan.FromMilliseconds(250);
        Console.WriteLine($"== {Title}: PostgreSQL frozen {PeerFaults.FrozenWindow.TotalSeconds:0} s under {PeerFaults.FrozenClients} clients");
        var frozen = new Dictionary<string, FrozenRun>();
        foreach (var (variant, app) in new[] { (Ours, ours), (Runner, runner), (Peer, peer) })
        {
            frozen[variant] = await PeerFaults.FrozenAsync(sides, app, deadline, cancellationToken);
            Console.WriteLine($"   {variant}: {frozen[variant]}");
        }

        var rows = new List<AspNetCoreRow>();
        var runnerRatio = floodRunner.Ratio;
        rows.Add(new AspNetCoreRow(
            "Status flood, all healthy, req/s (wrk -t2 -c32); × peer",
            Invariant($"{Format.Rate(flood.MedianRpsA)} ({Format.Ratio(flood.Ratio)}×)"),
            Invariant($"{Format.Rate(floodRunner.MedianRpsA)} ({Format.Ratio(runnerRatio)}×)"),
            Invariant($"{Format.Rate(flood.MedianRpsB)} / {Format.Rate(floodRunner.MedianRpsB)}"),
            "ours ≥ 5× peer",
            flood.Ratio >= 5));
        var perRequest = PeerScenarios.TransactionsPerRequest(flood);
        var perRequestRunner = PeerScenarios.TransactionsPerRequest(floodRunner);
        rows.Add(new AspNetCoreRow(
            "PostgreSQL transactions per status request",
            Invariant($"{perRequest.Ours:0.00000}"), Invariant($"{perRequestRunner.Ours:0.00000}"), Invariant($"{perRequest.Peer:0.00}"), "—", null));
        rows.Add(new AspNetCoreRow(
            Invariant($"PostgreSQL frozen {PeerFaults.FrozenWindow.TotalSeconds:0} s, {PeerFaults.FrozenClients} clients: slowest status answered"),
            Format.Latency(frozen[Ours].Slowest), Format.Latency(frozen[Runner].Slowest), Format.Latency(frozen[Peer].Slowest),
            "ours, runner ≤ " + Format.Latency(deadline) + " (CheckTimeout + 250 ms)",
            Within(frozen[Ours], deadline) && Within(frozen[Runner], deadline)));
        rows.Add(new AspNetCoreRow(
            "… answers past CheckTimeout + 250 ms / no answer within 15 s",
            Answers(frozen[Ours]), Answers(frozen[Runner]), Answers(frozen[Peer]), "0 / 0",
            frozen[Ours].PastDeadline + frozen[Ours].Unanswered + frozen[Runner].PastDeadline + frozen[Runner].Unanswered == 0));
        rows.Add(new AspNetCoreRow(
            "… new PostgreSQL connection attempts",
            Invariant($"{frozen[Ours].ConnectionAttempts}"), Invariant($"{frozen[Runner].ConnectionAttempts}"), Invariant($"{frozen[Peer].ConnectionAttempts}"),
            "ours, runner ≤ 1", frozen[Ours].ConnectionAttempts <= 1 && frozen[Runner].ConnectionAttempts <= 1));
        rows.Add(new AspNetCoreRow(
            "Ping req/s (wrk -t2 -c32); × MapGet", Invariant($"{Format.Rate(ping.MedianRpsA)} ({Format.Ratio(ping.Ratio)}×)"), "(MapGet, as peer)",
            Format.Rate(ping.MedianRpsB), "ours ≥ 1× MapGet", ping.Ratio >= 1));
        var bytesOurs = PairResult.Median(allocated[Ours]);
        var bytesPeer = PairResult.Median(allocated[Peer]);
        rows.Add(new AspNetCoreRow(
            "Bytes allocated per ping (server process, whole request)", Invariant($"{bytesOurs:0}"), "(MapGet, as peer)", Invariant($"{bytesPeer:0}"),
            "ours ≤ MapGet + 128", bytesOurs <= bytesPeer + AllocationAllowance));
        rows.Add(new AspNetCoreRow(
            Invariant($"Cold start: first 200 while {ColdStartClients} clients flood status from the first ping 200, median of {settings.Rounds}"),
            Show(Median(cold[Ours])), Show(Median(cold[Runner])), Show(Median(cold[Peer])), "ours ≤ 1.00 s", Median(cold[Ours]) <= TimeSpan.FromSeconds(1)));

        var notes = new List<string>
        {
            $"Cold start per round (ours / runner / peer): {string.Join(", ", Enumerable.Range(0, settings.Rounds).Select(i => string.Join(" / ", variants.Select(variant => Show(cold[variant][i])))))}.",
            "Bytes per ping: `GC.GetTotalAllocatedBytes(precise: true)` in the app's process (read over `/bench/allocated`) around each measured wrk run, per request; Kestrel's own share is in both.",
        };
        return new ScenarioResult(flood, [])
        {
            MorePairs = [floodRunner, ping],
            AspNetCoreRows = rows,
            AspNetCoreNotes = notes,
        };
    }

    // wrk on ping, with the app's allocated bytes read before and after each measured round (not the warm-up).
    private static Side PingSide(string name, ChildApp app, List<double> bytesPerRequest) => new(
        name + " ping",
        async (seconds, index, token) =>
        {
            var before = await AllocatedAsync(app, token);
            var round = await HostScenarios.MeasureAsync(
                name + " ping", index, new WrkRun(app.Url(BenchApps.PingPath), HostScenarios.Threads, HostScenarios.Connections, seconds), app.ProcessId, token);
            var perRequest = (await AllocatedAsync(app, token) - before) / (double)Math.Max(1, round.Wrk.Requests);
            if (index > 0)
            {
                bytesPerRequest.Add(perRequest);
            }

            return round with { Notes = Invariant($"allocated {perRequest:0} B/request") };
        },
        InProcess: false);

    private static async Task<long> AllocatedAsync(ChildApp app, CancellationToken cancellationToken)
    {
        using var client = StatusClients.Create(1, TimeSpan.FromSeconds(10));
        return long.Parse(await client.GetStringAsync(new Uri(app.Url("/bench/allocated")), cancellationToken), CultureInfo.InvariantCulture);
    }

    // A new process of the variant: from its first ping 200, 32 clients flood status; the time to the first 200.
    private static async Task<TimeSpan?> FirstStatusAsync(PeerSides sides, string variant, CancellationToken cancellationToken)
    {
        await using var app = await sides.StartPeerAsync(cancellationToken, variant);
        var pingAnswered = await PeerSides.WaitUntilPingAnswersAsync(app, cancellationToken);
        return await StatusClients.FirstSuccessAsync(
            new Uri(app.Url(BenchApps.StatusPath)), ColdStartClients, pingAnswered, TimeSpan.FromSeconds(60), cancellationToken);
    }

    private static bool Within(FrozenRun run, TimeSpan deadline) => run.Slowest <= deadline && run.Unanswered == 0;

    private static string Answers(FrozenRun run) => Invariant($"{run.PastDeadline} of {run.Answers} / {run.Unanswered}");

    // Null (never within the limit) sorts last: it is the worst.
    private static TimeSpan? Median(List<TimeSpan?> values)
    {
        var sorted = values.OrderBy(value => value ?? TimeSpan.MaxValue).ToList();
        return sorted.Count == 0 ? null : sorted[(sorted.Count - 1) / 2];
    }

    private static string Show(TimeSpan? value) => value is TimeSpan time ? Format.Latency(time) : "never";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
