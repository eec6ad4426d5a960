using System;
using System.Threading.Tasks;
using MySqlConnector;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>Proves that <see cref="MariaDbServer"/> starts a real server and that its faults are real.</summary>
/// <remarks>
/// One server for the fixture; every test leaves it running, thawed and writable. Stop, restart and dispose are
/// proved as for every server fixture (<see cref="ServerFixtureTests{TServer}"/>).
/// </remarks>
public sealed class MariaDbServerTests : ServerFixtureTests<MariaDbServer>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    [Test]
    public async Task StartAsync_AppUser_AnswersOverTcpOnlyWithItsPassword()
    {
        Assert.That(await SelectOneAsync(Server.ConnectionString), Is.Null, "no exception");
        Assert.That(
            await SelectOneAsync(Server.ConnectionStringWithPassword("wrong")),
            Is.InstanceOf<MySqlException>().With.Property(nameof(MySqlException.ErrorCode)).EqualTo(MySqlErrorCode.AccessDenied));
    }

    [Test]
    public async Task Freeze_SelectWithOneSecondDeadline_CompletesOnlyAfterThaw()
    {
        Server.Freeze();
        var select = SelectOneAsync(Server.ConnectionString);

        var whileFrozen = await Capture.ExceptionAsync(() => select.WaitAsync(Deadline));
        Assert.That(ProcessState.Of(Server.Pid), Is.EqualTo('T'));
        Assert.That(whileFrozen, Is.TypeOf<TimeoutException>());

        Server.Thaw();
        Assert.That(await select.WaitAsync(TimeSpan.FromSeconds(10)), Is.Null, "no exception once thawed");
    }

    [Test]
    public async Task SetReadOnlyAsync_On_RefusesTheAppUsersWrites()
    {
        await Server.SetReadOnlyAsync(true);

        var write = await ExecuteAsync(Server.ConnectionString, "CREATE TABLE IF NOT EXISTS read_only_probe (id INT)");
        Assert.That(write, Is.InstanceOf<MySqlException>().With.Property(nameof(MySqlException.ErrorCode)).EqualTo(MySqlErrorCode.OptionPreventsStatement));

        await Server.SetReadOnlyAsync(false);
        Assert.That(await ExecuteAsync(Server.ConnectionString, "CREATE TABLE IF NOT EXISTS read_only_probe (id INT)"), Is.Null, "control: writable again");
    }

    protected override Task<MariaDbServer> StartAsync() => MariaDbServer.StartAsync();

    protected override int PidOf(MariaDbServer server) => server.Pid;

    protected override string TempDirectoryOf(MariaDbServer server) => server.TempDirectory;

    protected override Task<Exception?> AnswerAsync(MariaDbServer server) => SelectOneAsync(server.ConnectionString);

    protected override async Task ResetAsync()
    {
        await Server.SetReadOnlyAsync(false);
        MySqlConnection.ClearAllPools();
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
