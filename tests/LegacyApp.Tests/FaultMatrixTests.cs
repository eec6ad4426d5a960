using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>
/// LegacyApp on real PostgreSQL (Npgsql) and real Redis sessions, over real HTTP, through every fault of Redis an
/// operator meets: stopped, frozen (SIGSTOP), restarted, wrong password. During a fault, status is 503 with the
/// redis check failing within the deadline on every request and ping stays 200; once the fault ends, status is 200
/// again within 2 s without restarting the app; no response ever tells a probe anything about the servers. The
/// database's faults, PostgreSQL's included, are <see cref="DatabaseFaultMatrixTests"/>, one body for every engine.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class FaultMatrixTests
{
    private const string Password = "fault-Matrix-s3cret-4e1d";
    private const string WrongPassword = "not-the-Password-77aa";
    private const string OkBody = """{"checks":{"database":"ok","redis":"ok"},"status":"ok"}""";
    private const string RedisFailBody = """{"checks":{"database":"ok","redis":"fail"},"status":"fail"}""";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ResponseBound = CheckTimeout + TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FaultWindow = TimeSpan.FromSeconds(3);

    private PostgresServer _postgres = null!;
    private RedisServer _redis = null!;
    private RedisServer _protectedRedis = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        _protectedRedis = await RedisServer.StartAsync(Password);
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _postgres.DisposeAsync();
        await _redis.DisposeAsync();
        await _protectedRedis.DisposeAsync();
    }

    // Each test starts from an empty Npgsql pool, so one test's leftovers cannot help or hurt the next.
    [SetUp]
    public void ClearPools() => NpgsqlConnection.ClearAllPools();

    [Test]
    public async Task Status_RedisStopped_FailsWithinDeadlineThenRecoversAfterStart()
    {
        await using var host = await LegacyAppHost.StartAsync(Settings(_redis.Configuration));
        try
        {
            await ExerciseFaultAsync(host, RedisFailBody, _redis.StopAsync, _redis.StartAgainAsync);
        }
        finally
        {
            await EnsureRedisUpAsync();
        }
    }

    [Test]
    public async Task Status_RedisStoppedWithDefaultCache_FailsThenRecoversWithinTwoSeconds()
    {
        // As deployed: the default StatusCacheDuration (1 s; a failing run is reused for 50 ms). Recovery then
        // waits for StackExchange.Redis 1.2.6 to reconnect (its 1 s heartbeat) plus at most one reused failure.
        await using var host = await LegacyAppHost.StartAsync(Settings(_redis.Configuration, reuseRuns: true));
        try
        {
            await ExerciseFaultAsync(host, RedisFailBody, _redis.StopAsync, _redis.StartAgainAsync);
        }
        finally
        {
            await EnsureRedisUpAsync();
        }
    }

    [Test]
    public async Task Status_RedisFrozen_FailsWithinDeadlineThenRecoversAfterThaw()
    {
        await using var host = await LegacyAppHost.StartAsync(Settings(_redis.Configuration));
        try
        {
            await ExerciseFaultAsync(host, RedisFailBody, () => Run(_redis.Freeze), () => Run(_redis.Thaw));
        }
        finally
        {
            await EnsureRedisUpAsync();
        }
    }

    [Test]
    public async Task Status_RedisRestarted_RecoversWithinTwoSeconds()
    {
        await using var host = await LegacyAppHost.StartAsync(Settings(_redis.Configuration));
        try
        {
            await ExerciseRestartAsync(host, RedisFailBody, async () =>
            {
                await _redis.StopAsync();
                await _redis.StartAgainAsync();
            });
        }
        finally
        {
            await EnsureRedisUpAsync();
        }
    }

    [Test]
    public async Task Status_WrongRedisPassword_FailsWhileACorrectlyConfiguredAppIsOk()
    {
        // A wrong password cannot "end" without reconfiguring, i.e. restarting, the app; so the recovery line is
        // shown by a correctly configured LegacyApp against the same password-protected server, before and after.
        var wrongConfiguration = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_protectedRedis.Port},password={WrongPassword},abortConnect=false,connectTimeout=2000,syncTimeout=2000");
        await using var correct = await LegacyAppHost.StartAsync(Settings(_protectedRedis.Configuration));
        var control = await HealthProbes.HealthyStatusAsync(correct);
        Assert.That((control.StatusCode, control.Body), Is.EqualTo((200, OkBody)), "control: the right password works");

        await using var wrong = await LegacyAppHost.StartAsync(Settings(wrongConfiguration));
        var during = await FaultObservation.SampleAsync(wrong, FaultWindow);
        var after = await HealthProbes.SendAsync(correct, HealthProbes.StatusPath);

        FaultObservation.Report("wrong password", during, onset: [], recovered: null);
        FaultObservation.AssertFaultResponses(during, RedisFailBody, ResponseBound);
        Assert.That((after.StatusCode, after.Body), Is.EqualTo((200, OkBody)), "the correctly configured app is still ok");
        HealthProbes.AssertNothingLeaks([control, .. during, after], Secrets(_protectedRedis.Port, WrongPassword));
    }

    /// <summary>Control, fault, sampling while it lasts, end of the fault, recovery; asserts lines (a)–(d).</summary>
    private async Task ExerciseFaultAsync(LegacyAppHost host, string failBody, Func<Task> beginFault, Func<Task> endFault)
    {
        var control = await HealthProbes.HealthyStatusAsync(host);
        Assert.That((control.StatusCode, control.Body), Is.EqualTo((200, OkBody)), "control: healthy before the fault");

        await beginFault();

        // The fault shows on the first run after it began, which itself takes at most CheckTimeout; a run already
        // in flight when it began may still report ok.
        var onset = await FaultObservation.PollStatusAsync(host, record => record.StatusCode == 503, ResponseBound + ResponseBound);
        var during = await FaultObservation.SampleAsync(host, FaultWindow);

        await endFault();
        var ended = Stopwatch.StartNew();
        var recovery = await FaultObservation.PollStatusAsync(host, record => record.StatusCode == 200, TimeSpan.FromSeconds(10));
        var recoveredAfter = ended.Elapsed;

        FaultObservation.Report("fault", during, onset, recoveredAfter);
        Assert.That(onset[^1].StatusCode, Is.EqualTo(503), "the fault shows on status");
        FaultObservation.AssertTransitionResponses(onset, failBody, OkBody, ResponseBound);
        FaultObservation.AssertFaultResponses(during, failBody, ResponseBound);
        FaultObservation.AssertTransitionResponses(recovery, failBody, OkBody, ResponseBound);
        Assert.That(recovery[^1].Body, Is.EqualTo(OkBody));
        Assert.That(recoveredAfter, Is.LessThanOrEqualTo(RecoveryBound), "status is 200 again within 2 s of the fault's end");
        HealthProbes.AssertNothingLeaks([control, .. onset, .. during, .. recovery], Secrets(_redis.Port, null));
    }

    /// <summary>
    /// A restart is a fault of a few hundred ms: probes keep coming while it happens, and each of them gets one of
    /// the two exact answers within the deadline (503 while the server is away, 200 when a run beat the stop or
    /// followed the start); after it, status is 200 again within 2 s.
    /// </summary>
    private async Task ExerciseRestartAsync(LegacyAppHost host, string failBody, Func<Task> restart)
    {
        var control = await HealthProbes.HealthyStatusAsync(host);
        Assert.That((control.StatusCode, control.Body), Is.EqualTo((200, OkBody)), "control: healthy before the restart");

        using var restarting = new CancellationTokenSource();
        var prober = FaultObservation.SampleAsync(host, Timeout.InfiniteTimeSpan, restarting.Token);
        await restart();
        var ended = Stopwatch.StartNew();
        await restarting.CancelAsync();
        var during = await prober;
        var recovery = await FaultObservation.PollStatusAsync(host, record => record.StatusCode == 200, TimeSpan.FromSeconds(10));
        var recoveredAfter = ended.Elapsed;

        FaultObservation.Report("restart", during, onset: [], recoveredAfter);
        TestContext.Out.WriteLine($"failed runs after the restart: {recovery.Count(record => record.StatusCode == 503)}");
        FaultObservation.AssertTransitionResponses(during, failBody, OkBody, ResponseBound);
        Assert.That(during.Where(record => record.Path == HealthProbes.PingPath).Select(record => (record.StatusCode, record.Body)), Is.All.EqualTo((200, "pong")));
        FaultObservation.AssertTransitionResponses(recovery, failBody, OkBody, ResponseBound);
        Assert.That(recovery[^1].Body, Is.EqualTo(OkBody));
        Assert.That(recoveredAfter, Is.LessThanOrEqualTo(RecoveryBound), "status is 200 again within 2 s of the restart");
        HealthProbes.AssertNothingLeaks([control, .. during, .. recovery], Secrets(_redis.Port, null));
    }

    private string[] Secrets(int redisPort, string? otherPassword) =>
    [
        "127.0.0.1", "localhost", Password,
        _postgres.Port.ToString(CultureInfo.InvariantCulture),
        redisPort.ToString(CultureInfo.InvariantCulture),
        .. otherPassword is null ? Array.Empty<string>() : [otherPassword],
    ];

    private Dictionary<string, string?> Settings(string redisConfiguration, bool reuseRuns = false) => new()
    {
        ["Database:Provider"] = "Npgsql",
        ["Database:ConnectionString"] = _postgres.ConnectionString,
        ["WebSession:Class"] = "Redis",
        ["WebSession:Redis"] = redisConfiguration,
        ["HealthEndpoint:CheckTimeout"] = "00:00:01",

        // No reuse of finished runs (single-flight stays): every status answer then comes from a run that started
        // after the request arrived, so each request during a fault is really bounded by the deadline rather than
        // served from the cache, and a 200 after the fault is a real recovery, not the last run from before it.
        ["HealthEndpoint:StatusCacheDuration"] = reuseRuns ? null : "00:00:00",
    };

    private async Task EnsureRedisUpAsync()
    {
        _redis.Thaw();
        if (!_redis.IsRunning)
        {
            await _redis.StartAgainAsync();
        }
    }

    private static Task Run(Action action)
    {
        action();
        return Task.CompletedTask;
    }
}
