using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>What one side did while PostgreSQL was frozen under a flood of status requests.</summary>
internal sealed record FrozenRun(TimeSpan Slowest, int Answers, int PastDeadline, int Unanswered, int ConnectionAttempts);

/// <summary>One fault's trials on one side: time until the outage showed and until the first 200, per trial (null: never within the limit).</summary>
internal sealed record FaultTrials(string Fault, string Side, IReadOnlyList<TimeSpan?> Outages, IReadOnlyList<TimeSpan?> Recoveries);

/// <summary>A dependency fault: how it begins, and how it ends (returning the moment the server accepts again, Stopwatch ticks).</summary>
internal sealed record Fault(string Name, Func<Task> BeginAsync, Func<Task<long>> EndAsync, TimeSpan OutageLimit);

/// <summary>The peer pairs' fault scenarios: PostgreSQL frozen under load, and recovery after a restart or a thaw.</summary>
internal static class PeerFaults
{
    public const int FrozenClients = 100;
    public static readonly TimeSpan FrozenWindow = TimeSpan.FromSeconds(12);
    public static readonly TimeSpan FrozenClientTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The four faults of the recovery figures, against these servers.</summary>
    public static IReadOnlyList<Fault> All(PeerSides sides)
    {
        // Long enough for ours to show the outage (cache 1 s + deadline 2 s) with room on a busy machine; a side that
        // shows nothing within it is reported as "> limit", and the fault ends anyway.
        var frozenLimit = TimeSpan.FromSeconds(6);
        var stoppedLimit = TimeSpan.FromSeconds(8);
        return
        [
            new Fault("PostgreSQL restart", sides.Postgres.StopAsync, () => AcceptingAgainAsync(PostgresLogin(sides), sides.Postgres.StartAgainAsync), stoppedLimit),
            new Fault("PostgreSQL thaw", Freezing(sides.Postgres.Freeze), Thawing(sides.Postgres.Thaw), frozenLimit),
            new Fault("Redis restart", sides.Redis.StopAsync, () => AcceptingAgainAsync(TcpConnect(sides.Redis.Port), sides.Redis.StartAgainAsync), stoppedLimit),
            new Fault("Redis thaw", Freezing(sides.Redis.Freeze), Thawing(sides.Redis.Thaw), frozenLimit),
        ];
    }

    /// <summary>
    /// Freezes PostgreSQL, floods status from <see cref="FrozenClients"/> clients for <see cref="FrozenWindow"/>, thaws it, and
    /// waits for the requests still in flight (bounded by the client timeout). Connection attempts are the app's new TCP
    /// connections to PostgreSQL seen during the window.
    /// </summary>
    public static async Task<FrozenRun> FrozenAsync(PeerSides sides, ChildApp app, TimeSpan deadline, CancellationToken cancellationToken)
    {
        await PeerSides.WaitUntilHealthyAsync(app, cancellationToken);
        var postgresPort = sides.Postgres.Port;
        var before = AppConnections.LocalPorts(app.ProcessId, postgresPort);
        var seen = new HashSet<int>();
        using var stopWatching = new CancellationTokenSource();
        List<Answer> answers;
        sides.Postgres.Freeze();
        try
        {
            var watching = Task.Run(async () =>
            {
                while (!stopWatching.IsCancellationRequested)
                {
                    seen.UnionWith(AppConnections.LocalPorts(app.ProcessId, postgresPort));
                    await Task.Delay(50, CancellationToken.None);
                }
            }, CancellationToken.None);
            answers = await StatusClients.FloodAsync(
                new Uri(app.Url(BenchApps.StatusPath)),
                FrozenClients,
                FrozenWindow,
                FrozenClientTimeout,
                async () =>
                {
                    await stopWatching.CancelAsync();
                    await watching;
                    sides.Postgres.Thaw();
                },
                cancellationToken);
        }
        finally
        {
            sides.Postgres.Thaw();
        }

        seen.ExceptWith(before);
        var answered = answers.Where(answer => answer.Status != 0).ToList();
        return new FrozenRun(
            answered.Count == 0 ? TimeSpan.Zero : answered.Max(answer => answer.Latency),
            answered.Count,
            answered.Count(answer => answer.Latency > deadline),
            answers.Count - answered.Count,
            seen.Count);
    }

    /// <summary>
    /// One trial: with a prober asking for status every 10 ms, begins the fault, waits until a non-200 shows (or the
    /// fault's limit), ends it, and waits for the first 200 after the server accepts again.
    /// </summary>
    public static async Task<(TimeSpan? Outage, TimeSpan? Recovery)> TrialAsync(ChildApp app, Fault fault, CancellationToken cancellationToken)
    {
        await PeerSides.WaitUntilHealthyAsync(app, cancellationToken);
        await using var prober = StatusProber.Start(new Uri(app.Url(BenchApps.StatusPath)), ProbeTimeout);
        var began = Stopwatch.GetTimestamp();
        await fault.BeginAsync();
        var outage = await prober.WaitForAsync(began, answer => answer.Status != 200, fault.OutageLimit, cancellationToken);
        var accepting = await fault.EndAsync();
        var recovery = await prober.WaitForAsync(accepting, answer => answer.Status == 200, RecoveryLimit, cancellationToken);
        return (outage, recovery);
    }

    private static Func<CancellationToken, Task> TcpConnect(int port) => async cancellationToken =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
    };

    private static Func<CancellationToken, Task> PostgresLogin(PeerSides sides)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(sides.Postgres.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "loadbench-watcher",
            Timeout = 1,
        }.ConnectionString;
        return async cancellationToken =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        };
    }

    private static Func<Task> Freezing(Action freeze) => () =>
    {
        freeze();
        return Task.CompletedTask;
    };

    private static Func<Task<long>> Thawing(Action thaw) => () =>
    {
        var now = Stopwatch.GetTimestamp();
        thaw();
        return Task.FromResult(now);
    };

    // Starts the server and returns the moment it first accepted again, polled every 2 ms with the given probe while
    // it starts: a TCP connect for Redis (it serves as soon as it listens), a login and SELECT 1 for PostgreSQL (it
    // listens a few hundred milliseconds before it takes logins, answering 57P03 "starting up" meanwhile).
    private static async Task<long> AcceptingAgainAsync(Func<CancellationToken, Task> probeAsync, Func<Task> startAsync)
    {
        using var done = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    await probeAsync(done.Token);
                    return Stopwatch.GetTimestamp();
                }
                catch (Exception exception) when (exception is SocketException or NpgsqlException or TimeoutException)
                {
                    await Task.Delay(2, CancellationToken.None);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return 0L;
        }, CancellationToken.None);
        try
        {
            await startAsync();
        }
        finally
        {
            // The server answers by now: the watcher has seen it accept, or sees it on its next try.
            var grace = Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            if (await Task.WhenAny(watching, grace) == grace)
            {
                await done.CancelAsync();
            }
        }

        var accepted = await watching;
        return accepted != 0 ? accepted : Stopwatch.GetTimestamp();
    }
}
