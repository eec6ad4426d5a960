using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LegacyApp.Tests.Databases;

namespace LegacyApp.Tests;

/// <summary>
/// The database check's fault matrix, one body for every engine LegacyApp runs on (PostgreSQL with Npgsql, MariaDB
/// with MySqlConnector, SQLite with Microsoft.Data.Sqlite), over real HTTP, for each fault the engine can have:
/// every status answered within CheckTimeout + 250 ms, at most one connection attempt in flight while the database
/// hangs, the first 200 within 100 ms (median; PostgreSQL 2 s, a locked SQLite file one busy retry more) of the
/// database accepting again, no exception text in any answer.
/// </summary>
/// <remarks>
/// Each engine is started once, on first use, and shared by its cases. The figures behind docs/checks.md
/// ("Tested providers") are printed per case: run with <c>--logger "console;verbosity=detailed"</c>. The faults that
/// only the check's configuration decides (a wrong password, a read-only server, a locked file behind a warm pool)
/// are in DatabaseFaultMatrixTests.CheckConfiguration.cs.
/// </remarks>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed partial class DatabaseFaultMatrixTests
{
    private const string OkBody = """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""";
    private const string FailBody = """{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}""";

    // Three ends of each fault give the median; one burst of concurrent probes shows the pile-up or its absence.
    private const int Cycles = 3;
    private const int Burst = 20;

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ResponseBound = CheckTimeout + TimeSpan.FromMilliseconds(250);

    // Issue 25 asks 100 ms of MariaDB and SQLite. PostgreSQL keeps the 2 s its matrix has always promised: here it
    // took 50–354 ms after a stop or a thaw (docs/checks.md, "Tested providers"). A locked SQLite file is noticed free
    // only when SQLite's busy handler tries again, every 100 ms once it has waited a while: one interval more.
    private static readonly TimeSpan RecoveryMedianBound = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PostgresRecoveryBound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SqliteBusyRetryInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryPollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan FaultWindow = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, FaultMatrixDatabase> _databases = [];

    /// <summary>Every fault that can end, on every engine that can have it.</summary>
    public static IEnumerable<TestCaseData> FaultsThatEnd() =>
    [
        new("PostgreSQL", DatabaseFault.Stopped),
        new("PostgreSQL", DatabaseFault.Frozen),
        new("MariaDB", DatabaseFault.Stopped),
        new("MariaDB", DatabaseFault.Frozen),
        new("SQLite", DatabaseFault.Unreadable),
        new("SQLite", DatabaseFault.Locked),
    ];

    /// <summary>The faults in which the database hangs instead of refusing: where connection attempts could pile up.</summary>
    public static IEnumerable<TestCaseData> HangingFaults() =>
    [
        new("PostgreSQL", DatabaseFault.Frozen),
        new("MariaDB", DatabaseFault.Frozen),
        new("SQLite", DatabaseFault.Locked),
    ];

    /// <summary>The engines with a server to restart.</summary>
    public static IEnumerable<string> Servers() => ["PostgreSQL", "MariaDB"];

    [OneTimeTearDown]
    public async Task StopDatabasesAsync()
    {
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(FaultsThatEnd))]
    public async Task Status_DatabaseFault_FailsWithinDeadlineThenRecovers(string engine, DatabaseFault fault)
    {
        var database = await DatabaseAsync(engine);
        await using var host = await LegacyAppHost.StartAsync(Settings(database.ConnectionString, database));
        var records = new List<ProbeRecord>();
        var recoveries = new List<TimeSpan>();
        var attemptsInFlight = 0;
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                var control = await HealthProbes.HealthyStatusAsync(host);
                Assert.That((control.StatusCode, control.Body), Is.EqualTo((200, OkBody)), "control: healthy before the fault");

                // From an empty pool, every run during the fault is a new connection attempt, which is what is counted.
                await database.EmptyPoolAsync();
                database.ResetAttemptCounts();
                await database.BeginAsync(fault);
                var onset = await FaultObservation.PollStatusAsync(host, record => record.StatusCode == 503, ResponseBound + ResponseBound);
                List<ProbeRecord> during = [];
                if (cycle == 0)
                {
                    during = await FaultObservation.SampleAsync(host, FaultWindow);
                    during.AddRange(await BurstAsync(host));
                }

                attemptsInFlight = Math.Max(attemptsInFlight, database.MaxAttemptsInFlight());
                await database.EndAsync(fault);
                var ended = Stopwatch.StartNew();
                var recovery = await FaultObservation.PollStatusAsync(host, record => record.StatusCode == 200, RecoveryDeadline, RecoveryPollInterval);
                recoveries.Add(ended.Elapsed);

                if (cycle == 0)
                {
                    FaultObservation.Report($"{engine} {fault}", during, onset, recoveries[0]);
                    FaultObservation.AssertFaultResponses(during, FailBody, ResponseBound);
                }

                FaultObservation.AssertTransitionResponses(onset, FailBody, OkBody, ResponseBound);
                FaultObservation.AssertTransitionResponses(recovery, FailBody, OkBody, ResponseBound);
                records.AddRange([control, .. onset, .. during, .. recovery]);
            }
        }
        finally
        {
            await database.RepairAsync();
        }

        var hangs = fault is DatabaseFault.Frozen or DatabaseFault.Locked;
        Figures(engine, fault.ToString(), records, hangs ? attemptsInFlight : null, recoveries);
        Assert.Multiple(() =>
        {
            if (hangs)
            {
                Assert.That(attemptsInFlight, Is.LessThanOrEqualTo(1), "connection attempts in flight at once while the database hangs");
            }

            Assert.That(Median(recoveries), Is.LessThanOrEqualTo(RecoveryBound(engine, fault)), "the first 200 after the database accepts again (median)");
        });
        HealthProbes.AssertNothingLeaks(records, database.Secrets);
    }

    [TestCaseSource(nameof(HangingFaults))]
    public async Task Control_PlainOpensWhileDatabaseHangs_PileUp(string engine, DatabaseFault fault)
    {
        // The count above is evidence only if it would see a pile-up: the same number of opens with the provider
        // alone, all at once, against the same hanging database, must show up as many at once.
        var database = await DatabaseAsync(engine);
        await database.EmptyPoolAsync();
        database.ResetAttemptCounts();
        int failed;
        int inFlight;
        await database.BeginAsync(fault);
        try
        {
            failed = await database.OpenManyAsync(Burst, fault);
            inFlight = database.MaxAttemptsInFlight();
        }
        finally
        {
            await database.RepairAsync();
        }

        TestContext.Out.WriteLine($"{engine} {fault}, {Burst} plain opens: {failed} failed, at most {inFlight} in flight at once");
        Assert.That(failed, Is.EqualTo(Burst), "control: no open succeeds while the database hangs");
        Assert.That(inFlight, Is.GreaterThanOrEqualTo(Burst / 2), "the count sees unguarded opens pile up");
    }

    [TestCaseSource(nameof(Servers))]
    public async Task Status_ServerRestartedWithBusyPool_Recovers(string engine)
    {
        var database = await DatabaseAsync(engine);
        await using var host = await LegacyAppHost.StartAsync(Settings(database.ConnectionString, database));
        var records = new List<ProbeRecord>();
        var recoveries = new List<TimeSpan>();
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                // Like a busy app: several pooled connections, which the restart makes stale. One page first: LegacyApp
                // creates its table on first use.
                Assert.That((await HealthProbes.SendAsync(host, "/")).StatusCode, Is.EqualTo(200), "control: the app uses its database");
                var pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => HealthProbes.SendAsync(host, "/")));
                Assert.That(pages.Select(page => page.StatusCode), Is.All.EqualTo(200), "control: the app uses its database");
                var control = await HealthProbes.HealthyStatusAsync(host);

                // Probes keep coming while the restart happens; each gets one of the two exact answers in time.
                using var restarting = new CancellationTokenSource();
                var prober = FaultObservation.SampleAsync(host, Timeout.InfiniteTimeSpan, restarting.Token);
                await database.RestartAsync();
                var ended = Stopwatch.StartNew();
                await restarting.CancelAsync();
                var during = await prober;
                var recovery = await FaultObservation.PollStatusAsync(host, record => record.StatusCode == 200, RecoveryDeadline, RecoveryPollInterval);
                recoveries.Add(ended.Elapsed);

                FaultObservation.AssertTransitionResponses(during, FailBody, OkBody, ResponseBound);
                Assert.That(during.Where(record => record.Path == HealthProbes.PingPath).Select(record => (record.StatusCode, record.Body)), Is.All.EqualTo((200, "pong")));
                FaultObservation.AssertTransitionResponses(recovery, FailBody, OkBody, ResponseBound);
                records.AddRange([control, .. during, .. recovery]);
            }
        }
        finally
        {
            await database.RepairAsync();
        }

        Figures(engine, "restarted", records, attemptsInFlight: null, recoveries);
        Assert.That(Median(recoveries), Is.LessThanOrEqualTo(RecoveryBound(engine, fault: null)), "the first 200 after the server accepts again (median)");
        HealthProbes.AssertNothingLeaks(records, database.Secrets);
    }

    private async Task<FaultMatrixDatabase> DatabaseAsync(string engine)
    {
        if (!_databases.TryGetValue(engine, out var database))
        {
            database = await FaultMatrixDatabase.StartAsync(engine);
            _databases.Add(engine, database);
        }

        return database;
    }

    /// <summary>Status requests all at once: concurrent probes share one run, and a hung call is never doubled.</summary>
    private static async Task<ProbeRecord[]> BurstAsync(LegacyAppHost host) =>
        await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => Task.Run(() => HealthProbes.SendAsync(host, HealthProbes.StatusPath))));

    /// <summary>The line behind docs/checks.md's figures for one engine and fault.</summary>
    private static void Figures(string engine, string fault, List<ProbeRecord> records, int? attemptsInFlight, List<TimeSpan> recoveries)
    {
        var statuses = records.Where(record => record.Path == HealthProbes.StatusPath).ToList();
        var maxLatency = statuses.Max(record => record.Latency).TotalMilliseconds;
        var recovered = recoveries.Count == 0
            ? "no recovery (the fault does not end)"
            : string.Create(CultureInfo.InvariantCulture, $"first 200 after {string.Join(" / ", recoveries.Select(time => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)))} ms, median {Median(recoveries).TotalMilliseconds:0} ms");
        var inFlight = attemptsInFlight is { } count ? $"{count} connection attempt(s) in flight at most" : "no hang";
        TestContext.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"FIGURES {engine} {fault}: {statuses.Count} status answers, max {maxLatency:0} ms (bound {ResponseBound.TotalMilliseconds:0} ms); {inFlight}; {recovered}"));
    }

    private static TimeSpan RecoveryBound(string engine, DatabaseFault? fault) => (engine, fault) switch
    {
        ("PostgreSQL", _) => PostgresRecoveryBound,
        ("SQLite", DatabaseFault.Locked) => RecoveryMedianBound + SqliteBusyRetryInterval,
        _ => RecoveryMedianBound,
    };

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private static Dictionary<string, string?> Settings(string connectionString, FaultMatrixDatabase database, string? command = null) => new()
    {
        ["Database:Provider"] = database.Provider,
        ["Database:ConnectionString"] = connectionString,
        ["HealthEndpoint:DatabaseCommand"] = command,
        ["WebSession:Class"] = "Memory",
        ["HealthEndpoint:CheckTimeout"] = CheckTimeout.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture),

        // No reuse of finished runs (single-flight stays): every status answer comes from a run that started after
        // the request arrived, so each answer during a fault is bounded by the deadline, and the first 200 after it
        // is a real recovery, not a run from before the fault.
        ["HealthEndpoint:StatusCacheDuration"] = "00:00:00",
    };
}
