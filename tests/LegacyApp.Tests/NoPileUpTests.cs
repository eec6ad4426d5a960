using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>
/// A flood of status probes against a frozen PostgreSQL never becomes a flood of connection attempts, proven
/// from outside the app: LegacyApp reaches PostgreSQL only through a loopback <see cref="TcpRelay"/> that counts
/// every connection it accepts and how many are open at once.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class NoPileUpTests
{
    private const string OkBody = """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""";
    private const string FailBody = """{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}""";
    private const int Requests = 200;
    private static readonly TimeSpan LoadWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ResponseBound = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(250);

    private PostgresServer _postgres = null!;
    private TcpRelay _relay = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        // Room for the control's 200 unguarded opens, plus the extra sockets Npgsql opens when connects time out.
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

    [SetUp]
    public void ClearPools() => NpgsqlConnection.ClearAllPools();

    // emptyPool: the connection the control run left in Npgsql's pool is closed before the freeze, so every
    // guarded operation is a new connection attempt. Timeout=2 (Npgsql's connect timeout; default 15 s) makes each
    // abandoned attempt end inside the 10 s window, so the relay sees a sequence of attempts that must not overlap.
    // The last case is LegacyApp as deployed: default reuse, default Npgsql timeouts, the pooled connection kept.
    [TestCase("00:00:00", "Timeout=2", true, TestName = "StatusFlood_PostgresFrozenNoReuseEmptyPool_OpensOneConnectionAtATime")]
    [TestCase("00:00:01", "Timeout=2", true, TestName = "StatusFlood_PostgresFrozenDefaultReuseEmptyPool_OpensOneConnectionAtATime")]
    [TestCase("00:00:01", "", false, TestName = "StatusFlood_PostgresFrozenAsDeployed_OpensAtMostOneConnectionAtATime")]
    public async Task StatusFlood_PostgresFrozen_OpensAtMostOneNewConnectionAtATime(string cacheDuration, string timeouts, bool emptyPool)
    {
        await using var host = await LegacyAppHost.StartAsync(Settings(cacheDuration, timeouts));
        _relay.ResetCounts();
        var control = await HealthProbes.HealthyStatusAsync(host);
        Assert.That((control.StatusCode, control.Body), Is.EqualTo((200, OkBody)), "control: healthy before the freeze");
        Assert.That(_relay.Counts.Accepted, Is.GreaterThanOrEqualTo(1), "control: the app reaches PostgreSQL through the relay");
        if (emptyPool)
        {
            using var pooled = new NpgsqlConnection(ConnectionString(timeouts));
            NpgsqlConnection.ClearPool(pooled);
            await Poll.UntilAsync(() => Task.FromResult(_relay.Counts.Open == 0), TimeSpan.FromSeconds(5), "the pooled connection to close");
        }

        ProbeRecord[] responses;
        TcpRelayCounts counts;
        _relay.ResetCounts();
        _postgres.Freeze();
        try
        {
            // With reuse, runs that finished before the freeze may still answer for StatusCacheDuration; the flood
            // starts once the freeze shows, which takes at most that plus one deadline.
            await Poll.UntilAsync(
                async () => (await HealthProbes.SendAsync(host, HealthProbes.StatusPath)).StatusCode == 503,
                TimeSpan.Parse(cacheDuration, CultureInfo.InvariantCulture) + ResponseBound + ResponseBound,
                "the freeze to show on status");

            // 200 requests started on a fixed schedule over 10 s, each awaited concurrently with the others.
            var clock = Stopwatch.StartNew();
            var requests = new List<Task<ProbeRecord>>(Requests);
            for (var i = 0; i < Requests; i++)
            {
                var due = LoadWindow * i / Requests;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                requests.Add(Task.Run(() => HealthProbes.SendAsync(host, HealthProbes.StatusPath)));
            }

            responses = await Task.WhenAll(requests);
            counts = _relay.Counts;
        }
        finally
        {
            _postgres.Thaw();
        }

        var thawed = Stopwatch.StartNew();
        await Poll.UntilAsync(
            async () => (await HealthProbes.SendAsync(host, HealthProbes.StatusPath)).Body == OkBody,
            TimeSpan.FromSeconds(10),
            "status 200 again after the thaw");
        var recovered = thawed.Elapsed;

        var latencies = responses.Select(response => response.Latency.TotalMilliseconds).Order().ToList();
        TestContext.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"cache {cacheDuration}, '{timeouts}', empty pool {emptyPool}: relay accepted {counts.Accepted} new connections during the freeze, at most {counts.MaxOpen} open at once ({counts.MaxOverlapping} for longer than the relay's close lag); latency p50 {latencies[latencies.Count / 2]:0} ms, max {latencies[^1]:0} ms; 200 again {recovered.TotalMilliseconds:0} ms after the thaw"));
        Assert.Multiple(() =>
        {
            Assert.That(responses.Select(response => (response.StatusCode, response.Body)), Is.All.EqualTo((503, FailBody)));
            Assert.That(responses.Select(response => response.Latency), Is.All.LessThanOrEqualTo(ResponseBound));
            Assert.That(counts.MaxOverlapping, Is.LessThanOrEqualTo(1), "new connections to PostgreSQL open together during the freeze");
        });
        HealthProbes.AssertNothingLeaks([control, .. responses], ["127.0.0.1", "localhost", Port(_postgres.Port), Port(_relay.Port)]);
    }

    [Test]
    public async Task PlainOpens_PostgresFrozen_OpenManyConnectionsAtOnce()
    {
        // The relay's counts are only evidence if it would see a pile-up: 200 concurrent opens with no guard in
        // front of them, against the same frozen server through the same relay, must show up as many at once.
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString("Timeout=2")) { Pooling = false }.ConnectionString;
        _relay.ResetCounts();
        _postgres.Freeze();
        int failed;
        TcpRelayCounts counts;
        try
        {
            var opens = Enumerable.Range(0, Requests).Select(async _ =>
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
            }).ToList();
            failed = 0;
            foreach (var open in opens)
            {
                try
                {
                    await open;
                }
                catch (NpgsqlException)
                {
                    failed++;
                }
            }

            counts = _relay.Counts;
        }
        finally
        {
            _postgres.Thaw();
        }

        TestContext.Out.WriteLine($"plain opens: relay accepted {counts.Accepted}, at most {counts.MaxOpen} open at once ({counts.MaxOverlapping} for longer than the relay's close lag); {failed} opens failed");
        Assert.That(_relay.Rejected, Is.Zero, "the relay had room for every connection");
        Assert.That(failed, Is.EqualTo(Requests), "control: no open succeeds against a frozen server");
        Assert.That(counts.Accepted, Is.GreaterThanOrEqualTo(Requests), "the relay counts every connection");
        Assert.That(counts.MaxOverlapping, Is.GreaterThanOrEqualTo(Requests / 2), "the relay sees unguarded opens pile up");
    }

    private Dictionary<string, string?> Settings(string cacheDuration, string timeouts) => new()
    {
        ["Database:Provider"] = "Npgsql",
        ["Database:ConnectionString"] = ConnectionString(timeouts),
        ["WebSession:Class"] = "Memory",
        ["HealthEndpoint:CheckTimeout"] = "00:00:01",
        ["HealthEndpoint:StatusCacheDuration"] = cacheDuration,
    };

    /// <summary>The fixture's connection string, pointed at the relay instead of PostgreSQL itself.</summary>
    private string ConnectionString(string extra) =>
        new NpgsqlConnectionStringBuilder(_postgres.ConnectionString + ";" + extra) { Port = _relay.Port }.ConnectionString;

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
