using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>One row of the targets table: a figure, its target and whether it was met (null: no target).</summary>
internal sealed record Figure(string Name, string Measured, string Target, bool? Met)
{
    public static Figure AtLeast(string name, double value, double minimum) =>
        new(name, Format.Ratio(value), "≥ " + Format.Ratio(minimum), value >= minimum);

    public static Figure AtMost(string name, TimeSpan value, TimeSpan maximum) =>
        new(name, Format.Latency(value), "≤ " + Format.Latency(maximum), value <= maximum);

    public static Figure AtMost(string name, double value, double maximum, string format) =>
        new(name, value.ToString(format, CultureInfo.InvariantCulture), "≤ " + maximum.ToString(format, CultureInfo.InvariantCulture), value <= maximum);

    public static Figure Info(string name, string measured) => new(name, measured, "—", null);
}

/// <summary>What one scenario produced: its pair (null when it failed before measuring) and its figures.</summary>
internal sealed record ScenarioResult(PairResult? Pair, IReadOnlyList<Figure> Figures)
{
    /// <summary>Further pairs the scenario ran, listed after <see cref="Pair"/>.</summary>
    public IReadOnlyList<PairResult> MorePairs { get; init; } = [];

    /// <summary>The rows of the table against the ASP.NET Core peer (pair 9 only).</summary>
    public IReadOnlyList<PeerRow> PeerRows { get; init; } = [];

    /// <summary>Notes printed under that table.</summary>
    public IReadOnlyList<string> PeerNotes { get; init; } = [];

    /// <summary>The rows of the ASP.NET Core app's table (pair 10 only).</summary>
    public IReadOnlyList<AspNetCoreRow> AspNetCoreRows { get; init; } = [];

    /// <summary>Notes printed under that table.</summary>
    public IReadOnlyList<string> AspNetCoreNotes { get; init; } = [];

    public static ScenarioResult Failed(string title, Exception exception) =>
        new(null, [new Figure(title, "failed: " + exception.GetType().Name + ": " + exception.Message.Split('\n')[0], "—", false)]);
}

/// <summary>Number formats shared by the console output and the report.</summary>
internal static class Format
{
    public static string Rate(double requestsPerSecond) => requestsPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Latency(TimeSpan latency) => latency.TotalSeconds >= 1
        ? latency.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : latency.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public static string Optional(double? value, string format) =>
        value is double number ? number.ToString(format, CultureInfo.InvariantCulture) : "—";
}

/// <summary>Writes the markdown report: header (machine, versions, date, command), targets, pairs, raw rounds.</summary>
internal static class Report
{
    public static string Build(BenchSettings settings, string wrkVersion, IReadOnlyList<string> methodNotes, IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# Load benchmark: HealthEndpoint.Owin");
        Line();
        Line($"- Date: {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Line($"- Machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {OsName()}");
        Line($"- Versions: {RuntimeInformation.FrameworkDescription}, {wrkVersion}");
        var arguments = settings.CommandLine.Length > 0 ? " -- " + settings.CommandLine : string.Empty;
        Line($"- Command: `dotnet run -c Release --project benchmarks/HealthEndpoint.Owin.LoadBench{arguments}`");
        Line(string.Create(
            CultureInfo.InvariantCulture,
            $"- Method: wrk on 127.0.0.1 (`-t2 -c32 --latency` unless a row says otherwise), sides alternated A B A B, {settings.Rounds} rounds of " +
            $"{settings.DurationSeconds} s after a warm-up of each side (at least {settings.WarmupSeconds} s, see below the pairs); figures are medians over the rounds. " +
            $"HttpListenerOwinServer variants run in this process (one server per variant, default options, workstation GC); " +
            $"the Kestrel peer is a child process (raw `app.Run`, same response headers and body, workstation GC)."));
        foreach (var note in methodNotes)
        {
            Line("- " + note);
        }

        Line();
        Line("## Targets");
        Line();
        Line("| Figure | Measured | Target | Met |");
        Line("|---|---|---|---|");
        foreach (var figure in results.SelectMany(result => result.Figures))
        {
            var met = figure.Met switch { true => "met", false => "**not met**", null => "—" };
            Line($"| {figure.Name} | {figure.Measured} | {figure.Target} | {met} |");
        }

        var peerRows = results.SelectMany(result => result.PeerRows).ToList();
        if (peerRows.Count > 0)
        {
            Line();
            Line("## Against ASP.NET Core Health Checks (pair 9)");
            Line();
            Line("Ours: samples/LegacyApp on the Kestrel OWIN host, PostgreSQL and Redis checks, every default (CheckTimeout 2 s, StatusCacheDuration 1 s). " +
                "Peer: benchmarks/AspNetCorePeer, `AddHealthChecks().AddNpgSql(cs).AddRedis(cs)` and `MapHealthChecks`, every documented default. " +
                "Both child processes, workstation GC, against the same PostgreSQL 15 and Redis; targets are ours.");
            Line();
            Line("| Figure | Ours | Peer | Ours / peer | Target (ours) | Met |");
            Line("|---|---|---|---|---|---|");
            foreach (var row in peerRows)
            {
                var met = row.Met switch { true => "met", false => "**not met**", null => "—" };
                Line($"| {row.Name} | {row.Ours} | {row.Peer} | {row.Ratio} | {row.Target} | {met} |");
            }

            foreach (var note in results.SelectMany(result => result.PeerNotes))
            {
                Line();
                Line(note);
            }
        }

        var aspNetCoreRows = results.SelectMany(result => result.AspNetCoreRows).ToList();
        if (aspNetCoreRows.Count > 0)
        {
            Line();
            Line("## One ASP.NET Core app: our endpoints, the opt-in runner under MapHealthChecks, MapHealthChecks (pair 10)");
            Line();
            Line("benchmarks/AspNetCorePeer, one app in three variants over the same `AddHealthChecks().AddNpgSql(cs).AddRedis(cs)`: " +
                "ours (our endpoints in front of routing, every default), runner (`AddHealthEndpointRunner()` under the same `MapHealthChecks`), " +
                "peer (`MapHealthChecks`, `MapGet` for ping). Child processes, workstation GC, the same Kestrel, PostgreSQL 15 and Redis.");
            Line();
            Line("| Figure | Ours | Runner | Peer | Target | Met |");
            Line("|---|---|---|---|---|---|");
            foreach (var row in aspNetCoreRows)
            {
                var met = row.Met switch { true => "met", false => "**not met**", null => "—" };
                Line($"| {row.Name} | {row.Ours} | {row.Runner} | {row.Peer} | {row.Target} | {met} |");
            }

            foreach (var note in results.SelectMany(result => result.AspNetCoreNotes))
            {
                Line();
                Line(note);
            }
        }

        var pairs = results.Where(result => result.Pair is not null).SelectMany(result => result.MorePairs.Prepend(result.Pair!)).ToList();
        Line();
        Line("## Pairs (medians)");
        Line();
        Line("| Pair | A | A req/s | A p99 | B | B req/s | B p99 | A/B req/s | A/B per round |");
        Line("|---|---|---|---|---|---|---|---|---|");
        foreach (var pair in pairs)
        {
            // The per-round ratios compare runs made seconds apart: they show how much of a gap is drift.
            var perRound = string.Join(" / ", pair.RoundsA.Zip(pair.RoundsB, (a, b) => Format.Ratio(a.Wrk.RequestsPerSecond / b.Wrk.RequestsPerSecond)));
            Line($"| {pair.Title} | {pair.NameA} | {Format.Rate(pair.MedianRpsA)} | {Format.Latency(pair.MedianP99A)} | " +
                $"{pair.NameB} | {Format.Rate(pair.MedianRpsB)} | {Format.Latency(pair.MedianP99B)} | {Format.Ratio(pair.Ratio)} | {perRound} |");
        }

        Line();
        Line("Warm-up per side (in-process servers until the JIT compiled fewer than 10 methods in a second, at most 15 s): " +
            string.Join("; ", pairs.Select(pair => $"{pair.Title.Split(' ')[0]} {pair.WarmUp}")) + ".");
        Line();
        Line("## Rounds");
        Line();
        Line("| Pair | Round | Side | req/s | p50 | p99 | max | requests | errors | server CPU ms / 1k req | notes |");
        Line("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var pair in pairs)
        {
            foreach (var round in pair.AllRounds)
            {
                var wrk = round.Wrk;
                Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {pair.Title.Split(' ')[0]} | {round.Index} | {round.Side} | {Format.Rate(wrk.RequestsPerSecond)} | {Format.Latency(wrk.P50)} | " +
                    $"{Format.Latency(wrk.P99)} | {Format.Latency(wrk.Max)} | {wrk.Requests} | {wrk.Errors} | " +
                    $"{Format.Optional(round.CpuMillisecondsPerThousand, "0.0")} | {round.Notes} |"));
            }
        }

        return text.ToString();
    }

    public static void Write(string path, string markdown)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, markdown);
    }

    private static string CpuModel()
    {
        const string Key = "model name";
        var line = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(candidate => candidate.StartsWith(Key, StringComparison.Ordinal))
            : null;
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static string OsName()
    {
        const string Key = "PRETTY_NAME=";
        var line = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(candidate => candidate.StartsWith(Key, StringComparison.Ordinal))
            : null;
        var name = line is null ? RuntimeInformation.OSDescription : line[Key.Length..].Trim('"');
        return $"{name} (kernel {Environment.OSVersion.Version})";
    }
}
