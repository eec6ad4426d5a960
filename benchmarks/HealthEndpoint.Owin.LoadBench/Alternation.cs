using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>One measured run of one side of a pair.</summary>
/// <param name="Side">The side's name.</param>
/// <param name="Index">1-based round number.</param>
/// <param name="Wrk">The measured wrk run (the one whose req/s and p99 the pair compares).</param>
/// <param name="CpuMillisecondsPerThousand">Server process CPU time per 1,000 measured requests, when known.</param>
/// <param name="Companion">A second wrk that ran at the same time (the saturating load, the status probes).</param>
/// <param name="Notes">Further per-round figures, already formatted.</param>
/// <param name="DatabaseRoundTrips">Database check round trips counted on the server during the round, when metered.</param>
internal sealed record Round(
    string Side,
    int Index,
    WrkResult Wrk,
    double? CpuMillisecondsPerThousand = null,
    WrkResult? Companion = null,
    string Notes = "",
    double? DatabaseRoundTrips = null);

/// <summary>One side of an A/B pair: a name and a way to run it for a given number of seconds.</summary>
/// <param name="Name">Shown in the report.</param>
/// <param name="RunAsync">Runs one round of the given length (seconds) and returns what it measured.</param>
/// <param name="WarmsUp">False for a side whose warm-up would do harm or nothing (a frozen database).</param>
/// <param name="InProcess">
/// True when the server runs in this process, so that its JIT activity can be watched during the warm-up.
/// </param>
internal sealed record Side(
    string Name, Func<int, int, CancellationToken, Task<Round>> RunAsync, bool WarmsUp = true, bool InProcess = true);

/// <summary>Every round of both sides of a pair, and their medians.</summary>
internal sealed record PairResult(string Title, string NameA, string NameB, IReadOnlyList<Round> RoundsA, IReadOnlyList<Round> RoundsB)
{
    /// <summary>How long each side was warmed up, for the report.</summary>
    public string WarmUp { get; init; } = string.Empty;

    public double MedianRpsA => Median(RoundsA.Select(round => round.Wrk.RequestsPerSecond));

    public double MedianRpsB => Median(RoundsB.Select(round => round.Wrk.RequestsPerSecond));

    public TimeSpan MedianP99A => TimeSpan.FromTicks((long)Median(RoundsA.Select(round => (double)round.Wrk.P99.Ticks)));

    public TimeSpan MedianP99B => TimeSpan.FromTicks((long)Median(RoundsB.Select(round => (double)round.Wrk.P99.Ticks)));

    /// <summary>A's median requests/s over B's.</summary>
    public double Ratio => MedianRpsB == 0 ? 0 : MedianRpsA / MedianRpsB;

    public IEnumerable<Round> AllRounds => RoundsA.Zip(RoundsB, (a, b) => new[] { a, b }).SelectMany(pair => pair);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(value => value).ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>Runs two sides A B A B …, after a warm-up of each, so that drift on a noisy VM hits both.</summary>
internal static class Alternation
{
    // Methods compiled in a one-second warm-up chunk below which the JIT counts as quiet; background work (timers,
    // pool pruning) compiles a few now and then.
    private const long QuietJitMethods = 10;
    private const int MaxWarmupSeconds = 15;

    public static async Task<PairResult> RunAsync(string title, Side a, Side b, BenchSettings settings, CancellationToken cancellationToken)
    {
        Console.WriteLine($"== {title}: {a.Name} vs {b.Name}");
        var warmUp = await WarmUpAsync(a, b, settings, cancellationToken);
        var roundsA = new List<Round>();
        var roundsB = new List<Round>();
        for (var index = 1; index <= settings.Rounds; index++)
        {
            roundsA.Add(Print(await a.RunAsync(settings.DurationSeconds, index, cancellationToken)));
            roundsB.Add(Print(await b.RunAsync(settings.DurationSeconds, index, cancellationToken)));
        }

        return new PairResult(title, a.Name, b.Name, roundsA, roundsB) { WarmUp = warmUp };
    }

    // A fixed warm-up is not enough for every path: with Npgsql and StackExchange.Redis in play, tiered compilation
    // was still busy (15 ms of JIT-thread CPU per 1,000 status requests) 3 s into the load, and gone after 20 s.
    // An in-process side therefore keeps warming up in one-second chunks until the JIT is quiet (at most 15 s);
    // a child-process side, whose JIT cannot be watched from here, gets as long as its partner needed.
    private static async Task<string> WarmUpAsync(Side a, Side b, BenchSettings settings, CancellationToken cancellationToken)
    {
        if (settings.WarmupSeconds == 0)
        {
            return "none";
        }

        var seconds = new Dictionary<Side, int>();
        foreach (var side in new[] { a, b }.Where(side => side.WarmsUp && side.InProcess))
        {
            await side.RunAsync(settings.WarmupSeconds, 0, cancellationToken);
            var total = settings.WarmupSeconds;
            while (total < MaxWarmupSeconds)
            {
                var compiledBefore = JitInfo.GetCompiledMethodCount();
                await side.RunAsync(1, 0, cancellationToken);
                total++;
                if (JitInfo.GetCompiledMethodCount() - compiledBefore < QuietJitMethods)
                {
                    break;
                }
            }

            seconds[side] = total;
        }

        var partner = seconds.Count == 0 ? settings.WarmupSeconds : seconds.Values.Max();
        foreach (var side in new[] { a, b }.Where(side => side.WarmsUp && !side.InProcess))
        {
            await side.RunAsync(partner, 0, cancellationToken);
            seconds[side] = partner;
        }

        return string.Join(", ", new[] { a, b }.Select(side => $"{side.Name} {(seconds.TryGetValue(side, out var s) ? s + " s" : "none")}"));
    }

    private static Round Print(Round round)
    {
        Console.WriteLine(
            $"   round {round.Index} {round.Side}: {Format.Rate(round.Wrk.RequestsPerSecond)} req/s, p99 {Format.Latency(round.Wrk.P99)}, " +
            $"max {Format.Latency(round.Wrk.Max)}, errors {round.Wrk.Errors}{(round.Notes.Length > 0 ? "; " + round.Notes : string.Empty)}");
        return round;
    }
}
