using System;
using System.IO;
using System.Threading.Tasks;
using MySqlConnector;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>Proves that <see cref="MariaDbServer"/> starts a real server and that its faults are real.</summary>
/// <remarks>One server for the fixture; every test leaves it running, thawed and writable.</remarks>
public sealed class MariaDbServerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);
    private MariaDbServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await MariaDbServer.StartAsync();

    [OneTimeTearDown]
    public async Task DisposeServerAsync() => await _server.DisposeAsync();

    [TearDown]
    public async Task RecoverAsync()
    {
        _server.Thaw();
        if (!_server.IsRunning)
        {
            await _server.StartAgainAsync();
        }

        await _server.SetReadOnlyAsync(false);
        MySqlConnection.ClearAllPools();
    }

    [Test]
    public async Task StartAsync_AppUser_AnswersOverTcpOnlyWithItsPassword()
    {
        Assert.That(await SelectOneAsync(_server.ConnectionString), Is.Null, "no exception");
        Assert.That(
            await SelectOneAsync(_server.ConnectionStringWithPassword("wrong")),
            Is.InstanceOf<MySqlException>().With.Property(nameof(MySqlException.ErrorCode)).EqualTo(MySqlErrorCode.AccessDenied));
    }

    [Test]
    public async Task Freeze_SelectWithOneSecondDeadline_CompletesOnlyAfterThaw()
    {
        _server.Freeze();
        var select = SelectOneAsync(_server.ConnectionString);

        var whileFrozen = await Capture.ExceptionAsync(() => select.WaitAsync(Deadline));
        Assert.That(ProcessState.Of(_server.Pid), Is.EqualTo('T'));
        Assert.That(whileFrozen, Is.TypeOf<TimeoutException>());

        _server.Thaw();
        Assert.That(await select.WaitAsync(TimeSpan.FromSeconds(10)), Is.Null, "no exception once thawed");
    }

    [Test]
    public async Task StopAsync_ThenConnect_IsRefused()
    {
        var pid = _server.Pid;

        await _server.StopAsync();

        await StoppedServer.AssertGoneAsync(_server.Port, pid, _server.Pid);
    }

    [Test]
    public async Task RestartAsync_AnswersOnTheSamePortWithANewProcess()
    {
        var (port, pid) = (_server.Port, _server.Pid);

        await _server.RestartAsync();

        Assert.That((_server.Port, _server.Pid == pid), Is.EqualTo((port, false)));
        Assert.That(await SelectOneAsync(_server.ConnectionString), Is.Null, "no exception");
    }

    [Test]
    public async Task SetReadOnlyAsync_On_RefusesTheAppUsersWrites()
    {
        await _server.SetReadOnlyAsync(true);

        var write = await ExecuteAsync(_server.ConnectionString, "CREATE TABLE IF NOT EXISTS read_only_probe (id INT)");
        Assert.That(write, Is.InstanceOf<MySqlException>().With.Property(nameof(MySqlException.ErrorCode)).EqualTo(MySqlErrorCode.OptionPreventsStatement));

        await _server.SetReadOnlyAsync(false);
        Assert.That(await ExecuteAsync(_server.ConnectionString, "CREATE TABLE IF NOT EXISTS read_only_probe (id INT)"), Is.Null, "control: writable again");
    }

    [Test]
    public async Task DisposeAsync_KillsTheServerAndDeletesItsFolder()
    {
        var server = await MariaDbServer.StartAsync();
        var (pid, folder) = (server.Pid, server.TempDirectory);

        await server.DisposeAsync();

        Assert.That(ProcessState.IsAlive(pid), Is.False);
        Assert.That(Directory.Exists(folder), Is.False);
    }

    private static Task<Exception?> SelectOneAsync(string connectionString) => ExecuteAsync(connectionString, "SELECT 1");

    private static Task<Exception?> ExecuteAsync(string connectionString, string sql) => Capture.ExceptionAsync(async () =>
    {
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    });
}
