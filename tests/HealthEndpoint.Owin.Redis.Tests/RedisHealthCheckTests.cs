using System;
using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Redis;
using HealthEndpoint.Owin.Testing;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Redis.Tests;

/// <summary>The Redis check against a real redis-server: up, down, frozen, back, and password-protected.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RedisHealthCheckTests
{
    private const string Password = "s3cret-PASSWORD-9d1e";
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);

    private RedisServer _redis = null!;
    private RedisServer _protectedRedis = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _redis = await RedisServer.StartAsync();
        _protectedRedis = await RedisServer.StartAsync(Password);
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _redis.DisposeAsync();
        await _protectedRedis.DisposeAsync();
    }

    [Test]
    public async Task CheckAsync_RedisRunning_ReportsOk()
    {
        using var check = new RedisHealthCheck(_redis.Configuration);

        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
    }

    [Test]
    public async Task CheckAsync_ManyChecks_ReuseOneConnection()
    {
        using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration + ",allowAdmin=true");
        using var check = new RedisHealthCheck(_redis.Configuration);
        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
        var before = await ConnectionsReceivedAsync(admin);

        for (var i = 0; i < 20; i++)
        {
            Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
        }

        Assert.That(await ConnectionsReceivedAsync(admin), Is.EqualTo(before), "no probe opens a connection of its own");
    }

    [Test]
    public async Task CheckAsync_PasswordInConfiguration_ReportsOk()
    {
        using var check = new RedisHealthCheck(_protectedRedis.Configuration);

        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
    }

    [TestCase("wrong-password")]
    [TestCase(null)]
    public async Task CheckAsync_WrongOrMissingPassword_ReportsFailWithoutLeakingIt(string? password)
    {
        var configuration = $"127.0.0.1:{_protectedRedis.Port},abortConnect=false,connectTimeout=500" + (password is null ? "" : ",password=" + password);
        using var check = new RedisHealthCheck(configuration);

        var (status, body) = await ProbeAsync(check);

        Assert.That(status, Is.EqualTo(503));
        Assert.That(body, Is.EqualTo("""{"checks":{"database":"skipped","redis":"fail"},"status":"fail"}"""));
    }

    [Test]
    public async Task CheckAsync_RedisStoppedThenStarted_ReportsFailThenOkWithoutNewCheck()
    {
        using var check = new RedisHealthCheck(_redis.Configuration);
        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"), "control: the server is up");

        await _redis.StopAsync();
        try
        {
            Assert.That(await StatusOfAsync(check), Is.EqualTo("fail"));
        }
        finally
        {
            await _redis.StartAgainAsync();
        }

        await Poll.UntilAsync(async () => await StatusOfAsync(check) == "ok", TimeSpan.FromSeconds(10), "the same check reports ok after Redis is back");
    }

    [Test]
    public async Task CheckAsync_RedisFrozen_ReportsFailAtDeadlineThenOkAfterThaw()
    {
        using var check = new RedisHealthCheck(_redis.Configuration);
        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"), "control: the server is up");

        _redis.Freeze();
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.That(await StatusOfAsync(check), Is.EqualTo("fail"));
            Assert.That(clock.Elapsed, Is.LessThan(Timeout + TimeSpan.FromMilliseconds(250)), "the runner's deadline holds whatever the client does");
        }
        finally
        {
            _redis.Thaw();
        }

        await Poll.UntilAsync(async () => await StatusOfAsync(check) == "ok", TimeSpan.FromSeconds(10), "ok after thaw");
    }

    [Test]
    public async Task CheckAsync_NothingListening_ReportsFail()
    {
        using var check = new RedisHealthCheck($"127.0.0.1:{FreeTcpPort.Next()},connectTimeout=300");

        Assert.That(await StatusOfAsync(check), Is.EqualTo("fail"));
    }

    [Test]
    public async Task CheckAsync_SharedConnection_IsReusedAndNeverDisposed()
    {
        using var shared = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var check = new RedisHealthCheck(shared);

        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
        check.Dispose();

        Assert.That(shared.IsConnected, Is.True, "the app's own connection stays open");
        Assert.That(await shared.GetDatabase().PingAsync(), Is.GreaterThanOrEqualTo(TimeSpan.Zero));
    }

    [TestCase("127.0.0.1:6379,password=hunter2,bogusOption=1")]
    [TestCase("password=hunter2")]
    public void Constructor_InvalidConfiguration_ThrowsWithoutEchoingIt(string configuration)
    {
        var exception = Assert.Throws<ArgumentException>(() => _ = new RedisHealthCheck(configuration));

        Assert.That(exception!.Message, Does.Not.Contain("hunter2"));
    }

    private static async Task<long> ConnectionsReceivedAsync(ConnectionMultiplexer admin)
    {
        var server = admin.GetServer(admin.GetEndPoints().Single());
        var stats = await server.InfoAsync("stats");
        return long.Parse(stats.SelectMany(group => group).Single(pair => pair.Key == "total_connections_received").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<string> StatusOfAsync(RedisHealthCheck check) => RedisProbe.StatusOfAsync(check, Timeout);

    private static Task<(int Status, string Body)> ProbeAsync(RedisHealthCheck check) => RedisProbe.ProbeAsync(check, Timeout);
}
