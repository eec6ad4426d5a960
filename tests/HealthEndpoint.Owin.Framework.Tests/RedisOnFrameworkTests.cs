using System;
using System.Diagnostics;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Redis;
using HealthEndpoint.Owin.Testing;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Framework.Tests;

/// <summary>
/// The Redis check against a real Redis (password required), on Mono. With StackExchange.Redis 1.2.6 every one of
/// the ok cases ran into the deadline here: its Framework build never read a reply on Mono.
/// </summary>
[TestFixture]
[Category(FrameworkServers.Category)]
[NonParallelizable]
public sealed class RedisOnFrameworkTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    [Test]
    public async Task RedisCheck_OwnConnectionRealRedis_ReportsOkWellInsideDeadline()
    {
        using var check = new RedisHealthCheck(FrameworkServers.RedisConfiguration);
        var middleware = Middleware(check.CheckAsync);
        Assert.That((await StatusRequest.SendAsync(middleware)).StatusCode, Is.EqualTo(200), "first run: connects");

        var clock = Stopwatch.StartNew();
        var (statusCode, body) = await StatusRequest.SendAsync(middleware);
        clock.Stop();

        Assert.That(body, Is.EqualTo("""{"checks":{"database":"skipped","redis":"ok"},"status":"ok"}"""));
        Assert.That(statusCode, Is.EqualTo(200));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)), "a PING on an open connection is one round trip");
    }

    [Test]
    public async Task RedisCheck_AppsOwnMultiplexer_ReportsOkAndLeavesItOpen()
    {
        using var multiplexer = await ConnectionMultiplexer.ConnectAsync(FrameworkServers.RedisConfiguration);
        var check = new RedisHealthCheck(multiplexer);

        var (statusCode, body) = await StatusRequest.SendAsync(Middleware(check.CheckAsync));
        check.Dispose();

        Assert.That(statusCode, Is.EqualTo(200), body);
        Assert.That(multiplexer.IsConnected, Is.True, "the app's multiplexer is never closed by the check");
        Assert.That(await multiplexer.GetDatabase().PingAsync(), Is.LessThan(Deadline));
    }

    [Test]
    public async Task RedisCheck_WrongPassword_ReportsFail()
    {
        var configuration = ConfigurationOptions.Parse(FrameworkServers.RedisConfiguration);
        Assert.That(configuration.Password, Is.Not.Null.And.Not.Empty, "control: the server requires a password");
        configuration.Password = "wrong-" + Guid.NewGuid().ToString("N");
        using var check = new RedisHealthCheck(configuration.ToString(includePassword: true));

        var (statusCode, body) = await StatusRequest.SendAsync(Middleware(check.CheckAsync));

        Assert.That(statusCode, Is.EqualTo(503));
        Assert.That(body, Does.Contain("\"redis\":\"fail\"").And.Not.Contain("wrong-"));
    }

    [Test]
    public async Task RedisCheck_NothingListening_ReportsFailWithinDeadline()
    {
        using var check = new RedisHealthCheck($"127.0.0.1:{PostgresOnFrameworkTests.ClosedPort()},connectTimeout=1000");

        var clock = Stopwatch.StartNew();
        var (statusCode, _) = await StatusRequest.SendAsync(Middleware(check.CheckAsync));
        clock.Stop();

        Assert.That(statusCode, Is.EqualTo(503));
        Assert.That(clock.Elapsed, Is.LessThan(Deadline + TimeSpan.FromMilliseconds(500)));
    }

    private static HealthEndpointMiddleware Middleware(HealthCheck redis) =>
        new(new RecordingApp().Invoke, new HealthEndpointOptions { Redis = redis, CheckTimeout = Deadline, StatusCacheDuration = TimeSpan.Zero });
}
