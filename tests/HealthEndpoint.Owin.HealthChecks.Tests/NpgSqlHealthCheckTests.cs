using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthChecks.NpgSql;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using HealthEndpoint.Owin.Testing;
using AspNetCoreRegistration = Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration;

namespace HealthEndpoint.Owin.HealthChecks.Tests;

/// <summary>
/// A real Xabaril check (AspNetCore.HealthChecks.NpgSql 9.0.0) through the adapter, against a real PostgreSQL
/// reached through a loopback <see cref="TcpRelay"/> that counts the connections it opens.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class NpgSqlHealthCheckTests
{
    private const int Bursts = 5;
    private const int RequestsPerBurst = 40;
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ResponseBound = CheckTimeout + TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BurstInterval = TimeSpan.FromSeconds(1);

    private PostgresServer _postgres = null!;
    private TcpRelay _relay = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _relay = TcpRelay.Start(_postgres.Port, maxConnections: 512);
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        _postgres.Thaw();
        NpgsqlConnection.ClearAllPools();
        await _relay.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Test]
    public async Task Status_PostgresRunning_ReportsOk()
    {
        var endpoint = Endpoint(ConnectionString(""), out _);

        var (code, body, _) = await StatusAsync(endpoint);

        Assert.That((code, body), Is.EqualTo((200, """{"checks":{"database":"skipped","postgres":"ok","redis":"skipped"},"status":"ok"}""")));
    }

    [Test]
    public async Task Status_DatabaseMissing_ReportsFailAndLogsPostgresErrorOnly()
    {
        var endpoint = Endpoint(ConnectionString("Database=no_such_database"), out var log);

        var (code, body, _) = await StatusAsync(endpoint);

        Assert.That((code, body), Is.EqualTo((503, """{"checks":{"database":"skipped","postgres":"fail","redis":"skipped"},"status":"fail"}""")));
        var error = log.Entries.Single(entry => entry.Level == LogLevel.Debug);
        Assert.That(error.Exception, Is.TypeOf<HealthCheckResultException>());
        Assert.That(error.Exception!.Message, Does.StartWith("Unhealthy: ").And.Contain("no_such_database"));
        Assert.That(error.Exception.InnerException, Is.InstanceOf<PostgresException>().With.Property(nameof(PostgresException.SqlState)).EqualTo("3D000"));
    }

    // Pooling=false: every run is a new connection attempt, the worst case for a pile-up; Timeout=2 (Npgsql's
    // connect timeout) lets an abandoned attempt end within the bursts, so later bursts start new ones, which must
    // never overlap. The second case is as deployed: pooled, Npgsql's default timeouts.
    [TestCase("Pooling=false;Timeout=2", true, TestName = "Status_BurstsWhilePostgresFrozenNoPooling_BoundedAndOneConnectionAttemptAtATime")]
    [TestCase("", false, TestName = "Status_BurstsWhilePostgresFrozenPooled_BoundedAndOneConnectionAttemptAtATime")]
    public async Task Status_BurstsWhilePostgresFrozen_BoundedAndOneConnectionAttemptAtATime(string extra, bool expectNewAttempts)
    {
        NpgsqlConnection.ClearAllPools();
        var endpoint = Endpoint(ConnectionString(extra), out _);
        Assert.That((await StatusAsync(endpoint)).Code, Is.EqualTo(200), "control: healthy before the freeze");
        await Poll.UntilAsync(() => Task.FromResult(!expectNewAttempts || _relay.Counts.Open == 0), TimeSpan.FromSeconds(5), "the unpooled connection to close");

        var latencies = new List<TimeSpan>();
        var codes = new List<int>();
        TcpRelayCounts counts;
        _relay.ResetCounts();
        _postgres.Freeze();
        try
        {
            var clock = Stopwatch.StartNew();
            for (var burst = 0; burst < Bursts; burst++)
            {
                var due = BurstInterval * burst;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                var answers = await Task.WhenAll(Enumerable.Range(0, RequestsPerBurst).Select(_ => Task.Run(() => StatusAsync(endpoint))));
                latencies.AddRange(answers.Select(answer => answer.Latency));
                codes.AddRange(answers.Select(answer => answer.Code));
            }

            counts = _relay.Counts;
        }
        finally
        {
            _postgres.Thaw();
        }

        await Poll.UntilAsync(async () => (await StatusAsync(endpoint)).Code == 200, TimeSpan.FromSeconds(40), "status 200 again after the thaw");
        var sorted = latencies.Order().ToList();
        TestContext.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"'{extra}': {codes.Count} status requests in {Bursts} bursts; latency p50 {sorted[sorted.Count / 2].TotalMilliseconds:0} ms, max {sorted[^1].TotalMilliseconds:0} ms (bound {ResponseBound.TotalMilliseconds:0}); relay accepted {counts.Accepted} connections during the freeze, at most {counts.MaxOpen} open at once ({counts.MaxOverlapping} for longer than the close lag)"));
        Assert.Multiple(() =>
        {
            Assert.That(codes, Is.All.EqualTo(503));
            Assert.That(latencies, Is.All.LessThanOrEqualTo(ResponseBound));
            Assert.That(counts.MaxOverlapping, Is.LessThanOrEqualTo(1), "connection attempts in flight at once");
            if (expectNewAttempts)
            {
                Assert.That(counts.Accepted, Is.GreaterThanOrEqualTo(2), "the check kept trying during the freeze, one attempt at a time");
            }
        });
    }

    [Test]
    public async Task CheckRunDirectly_ConcurrentCallsWhilePostgresFrozen_PileUpAndOutlastTheTimeout()
    {
        // Control: the same check called the way ASP.NET Core's health check service calls it — one call per
        // request, each with the registration's timeout on its token — and no runner in front of it.
        var check = new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(ConnectionString("Pooling=false;Timeout=2")));
        var registration = new AspNetCoreRegistration("postgres", check, HealthStatus.Unhealthy, null, CheckTimeout);
        _relay.ResetCounts();
        _postgres.Freeze();
        HealthCheckResult[] results;
        TimeSpan[] latencies;
        TcpRelayCounts counts;
        try
        {
            var calls = await Task.WhenAll(Enumerable.Range(0, RequestsPerBurst).Select(_ => Task.Run(async () =>
            {
                var started = Stopwatch.StartNew();
                using var timeout = new CancellationTokenSource(CheckTimeout);
                var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, timeout.Token);
                return (result, started.Elapsed);
            })));
            counts = _relay.Counts;
            results = calls.Select(call => call.result).ToArray();
            latencies = calls.Select(call => call.Elapsed).ToArray();
        }
        finally
        {
            _postgres.Thaw();
        }

        TestContext.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"direct: {RequestsPerBurst} concurrent calls; latency max {latencies.Max().TotalMilliseconds:0} ms (bound {ResponseBound.TotalMilliseconds:0}); relay accepted {counts.Accepted}, at most {counts.MaxOpen} open at once ({counts.MaxOverlapping} for longer than the close lag)"));
        Assert.That(results.Select(result => result.Status), Is.All.EqualTo(HealthStatus.Unhealthy), "control: no call succeeds against a frozen server");
        Assert.That(counts.MaxOverlapping, Is.GreaterThanOrEqualTo(RequestsPerBurst / 2), "without the runner, concurrent calls pile up connections");
        // Npgsql does not give up a connect to a frozen server at the token (measured: at its own 2 s Timeout).
        Assert.That(latencies.Max(), Is.GreaterThan(ResponseBound), "without the runner, calls outlast the check timeout");
    }

    private static HealthEndpointMiddleware Endpoint(string connectionString, out RecordingLoggerFactory log)
    {
        log = new RecordingLoggerFactory();
        var options = new HealthEndpointOptions
        {
            CheckTimeout = CheckTimeout,
            StatusCacheDuration = TimeSpan.Zero,
            Logger = log.CreateLogger("HealthEndpoint"),
        };
        options.AddHealthCheck("postgres", new NpgSqlHealthCheck(new NpgSqlHealthCheckOptions(connectionString)));
        return new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
    }

    private static async Task<(int Code, string Body, TimeSpan Latency)> StatusAsync(HealthEndpointMiddleware endpoint)
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        var started = Stopwatch.StartNew();
        await endpoint.Invoke(environment);
        return (environment.StatusCode(), environment.ResponseBodyText(), started.Elapsed);
    }

    /// <summary>The fixture's connection string, pointed at the relay instead of PostgreSQL itself.</summary>
    private string ConnectionString(string extra) =>
        new NpgsqlConnectionStringBuilder(_postgres.ConnectionString + ";" + extra) { Port = _relay.Port }.ConnectionString;
}
