using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Redis;
using HealthEndpoint.Owin.Testing;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Redis.Tests;

/// <summary>
/// After a Redis restart the check reports ok as soon as Redis answers, not when the multiplexer next reconnects
/// (it does on its heartbeat: 0.3-0.5 s on 2.1.30, 1-3 s on 3.4.35).
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RedisRecoveryTests
{
    private const string Password = "s3cret-PASSWORD-9d1e";
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);

    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _redis = await RedisServer.StartAsync(Password);

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _redis.DisposeAsync();

    [Test]
    public async Task CheckAsync_OwnConnectionAfterRestart_FirstCheckOnceRedisAnswersReportsOk()
    {
        using var check = new RedisHealthCheck(_redis.Configuration);

        await AssertFirstCheckAfterRestartIsOkAsync(check);
    }

    [Test]
    public async Task CheckAsync_SharedConnectionAfterRestart_FirstCheckOnceRedisAnswersReportsOk()
    {
        using var shared = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        using var check = new RedisHealthCheck(shared);

        await AssertFirstCheckAfterRestartIsOkAsync(check);
    }

    [Test]
    public async Task CheckAsync_RedisStopped_DirectPingReportsFailWithoutLeakingThePassword()
    {
        using var check = new RedisHealthCheck(_redis.Configuration);
        Assert.That(await RedisProbe.StatusOfAsync(check, Timeout), Is.EqualTo("ok"), "control: the server is up");

        await _redis.StopAsync();
        try
        {
            // RedisProbe asserts that no body holds a password.
            Assert.That(await RedisProbe.StatusOfAsync(check, Timeout), Is.EqualTo("fail"));
            Assert.That(await RedisProbe.StatusOfAsync(check, Timeout), Is.EqualTo("fail"), "still down: the direct ping fails too");
        }
        finally
        {
            await _redis.StartAgainAsync();
        }
    }

    private async Task AssertFirstCheckAfterRestartIsOkAsync(RedisHealthCheck check)
    {
        Assert.That(await RedisProbe.StatusOfAsync(check, Timeout), Is.EqualTo("ok"), "control: the server is up");
        await _redis.StopAsync();
        try
        {
            await Poll.UntilAsync(async () => await RedisProbe.StatusOfAsync(check, Timeout) == "fail", TimeSpan.FromSeconds(10), "fail while Redis is stopped");
        }
        finally
        {
            // Returns once Redis answers PING on a socket of its own.
            await _redis.StartAgainAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(await RedisProbe.StatusOfAsync(check, Timeout), Is.EqualTo("ok"), "the first check once Redis answers");
        Assert.That(clock.Elapsed, Is.LessThan(Timeout), "answered by Redis, not by the deadline");
    }
}
