using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>
/// The load benchmark: ten A/B pairs over real HTTP (wrk and HTTP clients of its own), written as markdown tables.
/// </summary>
/// <remarks>
/// Run from the repository root:
/// <c>dotnet run -c Release --project benchmarks/HealthEndpoint.Owin.LoadBench -- --output artifacts/bench/load.md</c>.
/// Exit codes: 0 every scenario ran (whether or not its targets were met: this measures, it does not assert),
/// 1 a scenario failed or the run was cancelled (the report still shows what was measured), 2 bad arguments,
/// 3 wrk missing.
/// </remarks>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        BenchSettings settings;
        try
        {
            settings = BenchSettings.Parse(args);
            Wrk.Locate();
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 2;
        }
        catch (InvalidOperationException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 3;
        }

        // Ctrl+C and SIGTERM cancel the run instead of killing the process, so that every finally block stops
        // its servers, thaws PostgreSQL and kills the child processes it started.
        using var cancellation = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Cancel(context, cancellation));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Cancel(context, cancellation));
        var token = cancellation.Token;

        var elapsed = Stopwatch.StartNew();
        var results = new List<ScenarioResult>();
        var notes = new List<string>();
        var wrkVersion = "wrk";
        try
        {
            wrkVersion = await Wrk.VersionAsync(token);
            if (settings.Pairs.Contains(1))
            {
                results.Add(await RunScenarioAsync("1. Ping: middleware vs bare host", () => HostScenarios.PingVersusBareHostAsync(settings, token)));
            }

            if (settings.Pairs.Contains(2))
            {
                results.Add(await RunScenarioAsync("2. Pass-through", () => HostScenarios.PassThroughAsync(settings, token)));
            }

            if (settings.Pairs.Overlaps([3, 4, 5]))
            {
                await RunDependencyScenariosAsync(settings, results, notes, token);
            }

            if (settings.Pairs.Contains(6))
            {
                results.Add(await RunScenarioAsync("6. Embedded host vs Kestrel peer", () => HostScenarios.HostVersusKestrelAsync(settings, token)));
            }

            if (settings.Pairs.Contains(7))
            {
                results.Add(await RunScenarioAsync("7. Kestrel OWIN host vs Kestrel peer", () => KestrelHostScenarios.PingVersusKestrelPeerAsync(settings, token)));
            }

            if (settings.Pairs.Contains(8))
            {
                results.Add(await RunScenarioAsync("8. Pass-through: Kestrel OWIN host vs HttpListener host", () => KestrelHostScenarios.PassThroughVersusHttpListenerAsync(settings, token)));
            }

            if (settings.Pairs.Contains(9))
            {
                results.Add(await RunScenarioAsync(PeerScenarios.Title, () => PeerScenarios.RunAsync(settings, token)));
            }

            if (settings.Pairs.Contains(10))
            {
                results.Add(await RunScenarioAsync(AspNetCoreScenarios.Title, () => AspNetCoreScenarios.RunAsync(settings, token)));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled: the report shows what was measured before.");
        }

        notes.Add(string.Create(CultureInfo.InvariantCulture, $"Total run time: {elapsed.Elapsed.TotalMinutes:0.0} min."));
        var ordered = results.OrderBy(result => result.Pair?.Title ?? result.Figures[0].Name, StringComparer.Ordinal).ToList();
        var markdown = Report.Build(settings, wrkVersion, notes, ordered);
        Report.Write(settings.OutputPath, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Report written to {settings.OutputPath}");
        return token.IsCancellationRequested || results.Any(result => result.Pair is null) ? 1 : 0;
    }

    // Pairs 3, 4 and 5 run while the PostgreSQL and Redis servers are up; pair 4 needs neither, but sits in the
    // issue's order, and idle servers cost it nothing.
    private static async Task RunDependencyScenariosAsync(
        BenchSettings settings, List<ScenarioResult> results, List<string> notes, CancellationToken token)
    {
        const string StatusTitle = "3. Status, live PostgreSQL + Redis";
        const string SaturationTitle = "4. Ping while the app is saturated";
        const string FrozenTitle = "5. Ping and status while PostgreSQL is frozen";
        var saturation = () => HostScenarios.PingUnderSaturationAsync(settings, token);
        if (!settings.Pairs.Overlaps([3, 5]))
        {
            results.Add(await RunScenarioAsync(SaturationTitle, saturation));
            return;
        }

        DependencyScenarios dependencies;
        try
        {
            Console.WriteLine("== Starting PostgreSQL and Redis, calibrating the database meter");
            dependencies = await DependencyScenarios.StartAsync(token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            foreach (var (pair, title) in new[] { (3, StatusTitle), (5, FrozenTitle) })
            {
                if (settings.Pairs.Contains(pair))
                {
                    results.Add(ScenarioResult.Failed(title, exception));
                }
            }

            if (settings.Pairs.Contains(4))
            {
                results.Add(await RunScenarioAsync(SaturationTitle, saturation));
            }

            return;
        }

        await using (dependencies)
        {
            notes.Add("Database round trips: " + dependencies.MeterNote + "; counted from pg_stat_database (xact_commit, sessions) around each round, meter's own reads subtracted, autovacuum off.");
            if (settings.Pairs.Contains(3))
            {
                results.Add(await RunScenarioAsync(StatusTitle, () => dependencies.StatusWithLiveDependenciesAsync(settings, token)));
            }

            if (settings.Pairs.Contains(4))
            {
                results.Add(await RunScenarioAsync(SaturationTitle, saturation));
            }

            if (settings.Pairs.Contains(5))
            {
                results.Add(await RunScenarioAsync(FrozenTitle, () => dependencies.StatusWhileDatabaseFrozenAsync(settings, token)));
            }
        }
    }

    // One failing scenario (a server that would not start, a wrk that failed) must not cost the others.
    private static async Task<ScenarioResult> RunScenarioAsync(string title, Func<Task<ScenarioResult>> scenario)
    {
        try
        {
            return await scenario();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"{title} failed: {exception}");
            return ScenarioResult.Failed(title, exception);
        }
    }

    private static void Cancel(PosixSignalContext context, CancellationTokenSource cancellation)
    {
        context.Cancel = true;
        cancellation.Cancel();
    }
}
