using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using HealthEndpoint.Owin.Redis;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>
/// The pairs with live dependencies: status against real PostgreSQL and Redis (started here by the test
/// fixtures on free loopback ports), with and without the cache, and while PostgreSQL is frozen.
/// </summary>
internal sealed class DependencyScenarios : IAsyncDisposable
{
    private const int StatusTimeoutSeconds = 3;
    private static readonly TimeSpan CheckTimeout = new HealthEndpointOptions().CheckTimeout;
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);
    private readonly PostgresServer _postgres;
    private readonly RedisServer _redis;
    private readonly PostgresMeter _meter;

    private DependencyScenarios(PostgresServer postgres, RedisServer redis)
    {
        _postgres = postgres;
        _redis = redis;
        _meter = new PostgresMeter(postgres.ConnectionString);
    }

    /// <summary>Transactions per pooled check, as calibrated, for the report's method notes.</summary>
    public string MeterNote => string.Create(
        CultureInfo.InvariantCulture,
        $"a pooled check cost {_meter.TransactionsPerCheck:0.00} server transactions in one round trip (Npgsql sends DISCARD ALL with the next command), a new session {_meter.TransactionsPerSessionStart} at start-up");

    /// <summary>Starts PostgreSQL and Redis and calibrates the meter; stops whatever started if that fails.</summary>
    public static async Task<DependencyScenarios> StartAsync(CancellationToken cancellationToken)
    {
        var postgres = await PostgresServer.StartAsync();
        RedisServer? redis = null;
        try
        {
            redis = await RedisServer.StartAsync();
            var scenarios = new DependencyScenarios(postgres, redis);
            await scenarios._meter.CalibrateAsync(scenarios.PoolFor("loadbench-calibration"), cancellationToken);
            return scenarios;
        }
        catch
        {
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }

            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>Pair 3: status with live PostgreSQL + Redis, cache disabled vs the default 1 s cache.</summary>
    public async Task<ScenarioResult> StatusWithLiveDependenciesAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var uncached = await StatusServer.StartAsync(this, "loadbench-status-nocache", TimeSpan.Zero);
        await using var cached = await StatusServer.StartAsync(this, "loadbench-status-cache", TimeSpan.FromSeconds(1));
        var pair = await Alternation.RunAsync(
            "3. Status, live PostgreSQL + Redis",
            Metered("cache disabled", uncached, cancellationToken),
            Metered("1 s cache", cached, cancellationToken),
            settings,
            cancellationToken);

        double PerRequest(Round round) => round.DatabaseRoundTrips!.Value / Math.Max(1, round.Wrk.Requests);
        double PerSecond(Round round) => round.DatabaseRoundTrips!.Value / round.Wrk.ElapsedSeconds;
        var non2xx = pair.AllRounds.Sum(round => round.Wrk.Non2xx + round.Wrk.SocketErrors);
        return new ScenarioResult(pair,
        [
            Figure.AtMost("Status p99, cache disabled, 32 clients", pair.MedianP99A, TimeSpan.FromMilliseconds(5)),
            Figure.AtMost("DB round trips per status request, cache disabled", PairResult.Median(pair.RoundsA.Select(PerRequest)), 0.2, "0.0000"),
            Figure.AtMost("DB round trips per second, 1 s cache", PairResult.Median(pair.RoundsB.Select(PerSecond)), 1.0, "0.00"),

            // A round starts on an expired cache, so a d-second window holds runs at 0, 1, …, d s: up to (d + 1) / d
            // per second. Leaving out the run that opens the round shows the rate the cache holds once running.
            Figure.Info(
                "DB round trips per second, 1 s cache, leaving out the round's first run",
                PairResult.Median(pair.RoundsB.Select(round => (round.DatabaseRoundTrips!.Value - 1) / round.Wrk.ElapsedSeconds)).ToString("0.00", CultureInfo.InvariantCulture)),
            Figure.Info("DB round trips per second, cache disabled", PairResult.Median(pair.RoundsA.Select(PerSecond)).ToString("0.0", CultureInfo.InvariantCulture)),
            Figure.Info("DB round trips per status request, 1 s cache", PairResult.Median(pair.RoundsB.Select(PerRequest)).ToString("0.000000", CultureInfo.InvariantCulture)),
            Figure.AtMost("Status responses not 200 or failed (both sides, all rounds)", non2xx, 0, "0"),
        ]);
    }

    /// <summary>
    /// Pair 5: ping and status probed together while PostgreSQL is frozen (SIGSTOP) vs ping alone while it runs,
    /// on the same server. The baseline is the stricter one: the frozen side also carries the status load.
    /// </summary>
    public async Task<ScenarioResult> StatusWhileDatabaseFrozenAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var server = await StatusServer.StartAsync(this, "loadbench-status-frozen", new HealthEndpointOptions().StatusCacheDuration);
        var pair = await Alternation.RunAsync(
            "5. Ping and status while PostgreSQL is frozen",
            Frozen("frozen: ping + status", server),
            HostScenarios.Load("running: ping alone", server.Url(BenchApps.PingPath), BenchServer.ProcessId),
            settings,
            cancellationToken);

        var frozenStatus = pair.RoundsA.Select(round => round.Companion!).ToList();
        var slowest = frozenStatus.Max(status => status.Max);
        var lost = frozenStatus.Sum(status => status.SocketErrors);
        var limit = CheckTimeout + TimeSpan.FromMilliseconds(250);
        return new ScenarioResult(pair,
        [
            new Figure(
                "Slowest status response while PostgreSQL is frozen (wrk max, 32 clients)",
                Format.Latency(slowest) + (lost > 0 ? $", {lost} timed out (> {StatusTimeoutSeconds} s) or failed" : string.Empty),
                "≤ " + Format.Latency(limit) + " (CheckTimeout + 250 ms)",
                slowest <= limit && lost == 0),
            Figure.AtLeast("Ping req/s while frozen (status probed alongside) / running (ping alone)", pair.Ratio, 0.9),
        ]);
    }

    /// <summary>Thaws PostgreSQL (in case a round was interrupted) and stops both servers.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _postgres.Thaw();
        }
        finally
        {
            await _redis.DisposeAsync();
            await _postgres.DisposeAsync();
        }
    }

    // Each status server gets its own pool, named loadbench-* (the application name is part of the pool key), so
    // that the meter can tell the bench's backends from its own and from the fixture's.
    private string PoolFor(string applicationName) =>
        new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { ApplicationName = applicationName }.ConnectionString;

    private Side Metered(string name, StatusServer server, CancellationToken cancellationToken) => new(name, async (seconds, index, token) =>
    {
        var run = new WrkRun(server.Url(BenchApps.StatusPath), HostScenarios.Threads, HostScenarios.Connections, seconds);
        if (index == 0)
        {
            return await HostScenarios.MeasureAsync(name, index, run, BenchServer.ProcessId, token);
        }

        var before = await _meter.SettleAsync(cancellationToken);
        var round = await HostScenarios.MeasureAsync(name, index, run, BenchServer.ProcessId, token);
        var after = await _meter.SettleAsync(cancellationToken);
        var trips = _meter.CheckRoundTrips(before, after);
        return round with
        {
            DatabaseRoundTrips = trips,
            Notes = string.Create(
                CultureInfo.InvariantCulture,
                $"DB: {after.Transactions - before.Transactions} transactions, {after.Sessions - before.Sessions} new sessions = {trips:0.0} check round trips " +
                $"({trips / Math.Max(1, round.Wrk.Requests):0.0000}/request, {trips / round.Wrk.ElapsedSeconds:0.00}/s); non-2xx {round.Wrk.Non2xx}"),
        };
    });

    private Side Frozen(string name, StatusServer server) => new(
        name,
        async (seconds, index, token) =>
        {
            var cpuBefore = ProcessCpu.Read(BenchServer.ProcessId);
            WrkResult ping, status;
            _postgres.Freeze();
            try
            {
                // wrk forgets requests still in flight when it stops, so a status request that hung for good would
                // not show in max. A timeout just past the limit turns every such request into a counted error,
                // except those sent in the last StatusTimeoutSeconds of the run.
                var pingRun = Wrk.RunAsync(new WrkRun(server.Url(BenchApps.PingPath), HostScenarios.Threads, HostScenarios.Connections, seconds), token);
                var statusRun = Wrk.RunAsync(
                    new WrkRun(server.Url(BenchApps.StatusPath), 1, HostScenarios.Connections, seconds, StatusTimeoutSeconds), token);
                await Task.WhenAll(pingRun, statusRun);
                (ping, status) = (await pingRun, await statusRun);
            }
            finally
            {
                _postgres.Thaw();
            }

            var cpuAfter = ProcessCpu.Read(BenchServer.ProcessId);
            await WaitUntilHealthyAsync(server, token);
            return new Round(
                name,
                index,
                ping,
                ProcessCpu.PerThousand(cpuBefore, cpuAfter, ping.Requests + status.Requests),
                status,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"status (wrk -t1 -c32 --timeout {StatusTimeoutSeconds}s): {status.Requests} responses, {status.Non2xx} of them 503, " +
                    $"p50 {Format.Latency(status.P50)}, p99 {Format.Latency(status.P99)}, max {Format.Latency(status.Max)}, timeouts {status.Timeouts}; CPU per 1k of both"));
        },
        WarmsUp: false);

    // After a thaw, the next round must start against a healthy server, or it would measure the recovery.
    private static async Task WaitUntilHealthyAsync(StatusServer server, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + RecoveryTimeout;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(server.Url(BenchApps.StatusPath)), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not answering yet; poll again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Status did not report healthy within {RecoveryTimeout.TotalSeconds:0} s of the thaw.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>A status server: the middleware with live database and Redis checks over a no-op app.</summary>
    private sealed class StatusServer : IAsyncDisposable
    {
        private readonly BenchServer _server;
        private readonly RedisHealthCheck _redisCheck;

        private StatusServer(BenchServer server, RedisHealthCheck redisCheck)
        {
            _server = server;
            _redisCheck = redisCheck;
        }

        public static async Task<StatusServer> StartAsync(DependencyScenarios scenarios, string applicationName, TimeSpan cacheDuration)
        {
            var pool = scenarios.PoolFor(applicationName);
            var redisCheck = new RedisHealthCheck(scenarios._redis.Configuration);
            try
            {
                var app = BenchApps.Wrapped(BenchApps.NoOp, new HealthEndpointOptions
                {
                    Database = new DatabaseHealthCheck(NpgsqlFactory.Instance, pool).CheckAsync,
                    Redis = redisCheck.CheckAsync,
                    StatusCacheDuration = cacheDuration,
                });
                return new StatusServer(await BenchServer.StartAsync(app), redisCheck);
            }
            catch
            {
                redisCheck.Dispose();
                throw;
            }
        }

        public string Url(string path) => _server.Url(path);

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            _redisCheck.Dispose();
        }
    }
}
