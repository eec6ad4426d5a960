using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Redis.Tests;

/// <summary>
/// What this pass runs on (build property <c>RedisClientVersion</c>, default the floor) and the client behaviour
/// the check relies on, with the figures the README quotes (freeze latency, time to ok after a restart).
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RedisClientBehaviourTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan Block = TimeSpan.FromMilliseconds(2000);

    // A reply held back by the blocked thread can only complete after Block; one read elsewhere completes before,
    // though on 2 busy cores the thread pool may take most of a second to run it (measured up to 894 ms).
    private static readonly TimeSpan WhileBlocked = Block - TimeSpan.FromMilliseconds(200);

    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _redis = await RedisServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _redis.DisposeAsync();

    [Test]
    public void Client_LoadedAssembly_IsTheVersionThisPassSelected()
    {
        var expected = typeof(RedisClientBehaviourTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "ExpectedRedisClientVersion").Value;
        var loaded = typeof(IConnectionMultiplexer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        TestContext.Progress.WriteLine($"StackExchange.Redis {loaded}, assembly {typeof(IConnectionMultiplexer).Assembly.GetName().Version}");
        Assert.That(loaded.Split('+')[0], Is.EqualTo(expected));
    }

    // Why RedisHealthCheck no longer ends with Task.Yield(): 1.2.6 resumed awaits on its one socket-reader thread,
    // so code that blocked after the await stalled every other reply. If this client did that, the second PING
    // below could not complete while the first one's continuation sleeps.
    [Test]
    public async Task PingAsync_ContinuationBlocks_OtherRepliesStillArrive()
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var database = connection.GetDatabase();

        var secondPingLatency = await BlockAfterPingAsync(database);

        TestContext.Progress.WriteLine($"second PING while the first one's continuation blocked: {secondPingLatency.TotalMilliseconds:F0} ms");
        Assert.That(secondPingLatency, Is.LessThan(WhileBlocked));
    }

    // Control: the same measurement sees a stall when replies really cannot arrive (the server frozen meanwhile).
    [Test]
    public async Task PingAsync_ServerFrozenDuringBlock_SecondReplyIsLate()
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var database = connection.GetDatabase();
        await database.PingAsync();

        _redis.Freeze();
        TimeSpan secondPingLatency;
        try
        {
            secondPingLatency = await BlockAfterPingAsync(database, frozenAlready: true);
        }
        finally
        {
            _redis.Thaw();
        }

        Assert.That(secondPingLatency, Is.GreaterThanOrEqualTo(WhileBlocked));
    }

    [Test]
    public async Task CheckAsync_FrozenThenRestarted_FiguresWithinBounds()
    {
        using var check = new RedisHealthCheck(_redis.Configuration);
        // The first connect of a cold process can outlast the deadline (JIT, measured ~1 s on 2.8.16 here).
        await Poll.UntilAsync(async () => await RedisProbe.StatusOfAsync(check, Timeout) == "ok", TimeSpan.FromSeconds(10), "control: the server is up");

        var latencies = new double[5];
        _redis.Freeze();
        try
        {
            for (var i = 0; i < latencies.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                Assert.That(await RedisProbe.StatusOfAsync(check, Timeout), Is.EqualTo("fail"));
                latencies[i] = clock.Elapsed.TotalMilliseconds;
            }
        }
        finally
        {
            _redis.Thaw();
        }

        await Poll.UntilAsync(async () => await RedisProbe.StatusOfAsync(check, Timeout) == "ok", TimeSpan.FromSeconds(10), "ok after thaw");
        await _redis.StopAsync();
        try
        {
            Assert.That(await RedisProbe.StatusOfAsync(check, Timeout), Is.EqualTo("fail"), "control: stopped");
        }
        finally
        {
            await _redis.StartAgainAsync();
        }

        var sinceRestart = Stopwatch.StartNew();
        await Poll.UntilAsync(async () => await RedisProbe.StatusOfAsync(check, Timeout) == "ok", TimeSpan.FromSeconds(10), "ok after restart");
        var toOk = sinceRestart.Elapsed.TotalMilliseconds;

        Array.Sort(latencies);
        TestContext.Progress.WriteLine(
            $"StackExchange.Redis {typeof(IConnectionMultiplexer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0]}: " +
            $"status during freeze {latencies[0]:F0}/{latencies[2]:F0}/{latencies[^1]:F0} ms (min/median/max, deadline {Timeout.TotalMilliseconds:F0}); " +
            $"ok {toOk:F0} ms after redis-server answered again");
        Assert.That(latencies[^1], Is.LessThan((Timeout + TimeSpan.FromMilliseconds(250)).TotalMilliseconds));
    }

    // Awaits a PING, then (on whatever thread the client resumes on) starts a second PING and blocks that thread.
    // Returns how long the second PING took to complete.
    private static async Task<TimeSpan> BlockAfterPingAsync(IDatabase database, bool frozenAlready = false)
    {
        if (!frozenAlready)
        {
            await database.PingAsync().ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        var clock = Stopwatch.StartNew();
        var completedAt = TimeSpan.MaxValue;
        var second = database.PingAsync().ContinueWith(
            _ => completedAt = clock.Elapsed,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        Thread.Sleep(Block);
        await second.ConfigureAwait(false);
        return completedAt;
    }
}
