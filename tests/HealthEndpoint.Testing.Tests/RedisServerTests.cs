using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>Proves that <see cref="RedisServer"/> starts a real server and that its faults are real.</summary>
/// <remarks>
/// One server for the fixture; every test leaves it running and thawed. Stop, restart and dispose are proved as for
/// every server fixture (<see cref="ServerFixtureTests{TServer}"/>). StackExchange.Redis 1.2.6 is used async-only,
/// and nothing blocks after awaiting one of its tasks (machine-findings §5).
/// </remarks>
public sealed class RedisServerTests : ServerFixtureTests<RedisServer>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    [Test]
    public async Task StartAsync_NoPassword_AnswersPingThroughItsConfiguration()
    {
        var ping = await PingAsync(Server.Configuration);

        Assert.That(ping, Is.Null, "no exception");
        Assert.That(Server.Configuration, Does.StartWith($"127.0.0.1:{Server.Port},abortConnect=false"));
    }

    [Test]
    public async Task Freeze_PingWithOneSecondDeadline_CompletesOnlyAfterThaw()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        try
        {
            Server.Freeze();
            var ping = connection.GetDatabase().PingAsync();

            var whileFrozen = await Capture.ExceptionAsync(() => ping.WaitAsync(Deadline));
            Assert.That(ProcessState.Of(Server.Pid), Is.EqualTo('T'));
            Assert.That(whileFrozen, Is.TypeOf<TimeoutException>());

            Server.Thaw();
            Assert.That(await Capture.ExceptionAsync(() => ping.WaitAsync(TimeSpan.FromSeconds(10))), Is.Null);
        }
        finally
        {
            await CloseAsync(connection);
        }
    }

    [Test]
    public async Task CountKeysAsync_ThreeKeysSet_CountsThree()
    {
        var before = await Server.CountKeysAsync();
        var connection = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
        try
        {
            var database = connection.GetDatabase();
            var prefix = Guid.NewGuid().ToString("N");
            for (var index = 0; index < 3; index++)
            {
                await database.StringSetAsync($"{prefix}:{index}", "value");
            }
        }
        finally
        {
            await CloseAsync(connection);
        }

        Assert.That(await Server.CountKeysAsync(), Is.EqualTo(before + 3));
    }

    [Test]
    public async Task StartAsync_WithPassword_AcceptsOnlyThatPassword()
    {
        await using var server = await RedisServer.StartAsync("s3cret");
        var wrongPassword = server.Configuration.Replace("password=s3cret", "password=wrong", StringComparison.Ordinal);
        var noPassword = server.Configuration.Replace(",password=s3cret", string.Empty, StringComparison.Ordinal);

        var right = await PingAsync(server.Configuration);
        var wrong = await PingAsync(wrongPassword);
        var none = await PingAsync(noPassword);
        var keys = await server.CountKeysAsync();

        Assert.Multiple(() =>
        {
            Assert.That(server.Password, Is.EqualTo("s3cret"));
            Assert.That(right, Is.Null, "right password");
            Assert.That(wrong, Is.Not.Null, "wrong password");
            Assert.That(none, Is.Not.Null, "no password");
            Assert.That(keys, Is.Zero, "the fixture's own probe authenticates");
        });
    }

    [Test]
    public async Task StartAgainAsync_WithPassword_KeepsThePassword()
    {
        await using var server = await RedisServer.StartAsync("s3cret");
        await server.StopAsync();

        await server.StartAgainAsync();

        var noPassword = server.Configuration.Replace(",password=s3cret", string.Empty, StringComparison.Ordinal);
        Assert.That(await PingAsync(server.Configuration), Is.Null, "right password");
        Assert.That(await PingAsync(noPassword), Is.Not.Null, "no password");
    }

    protected override Task<RedisServer> StartAsync() => RedisServer.StartAsync();

    protected override int PidOf(RedisServer server) => server.Pid;

    protected override string TempDirectoryOf(RedisServer server) => server.TempDirectory;

    protected override Task<Exception?> AnswerAsync(RedisServer server) => PingAsync(server.Configuration);

    /// <summary>Connects with <paramref name="configuration"/> and PINGs; returns the failure, or null on PONG.</summary>
    private static async Task<Exception?> PingAsync(string configuration)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        try
        {
            // 1.2.6's PingAsync has no timeout of its own.
            return await Capture.ExceptionAsync(() => connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await CloseAsync(connection);
        }
    }

    private static async Task CloseAsync(ConnectionMultiplexer connection)
    {
        await connection.CloseAsync(allowCommandsToComplete: false);
        await Task.Yield(); // Leave 1.2.6's socket reader before the blocking Dispose.
        connection.Dispose();
    }
}
