using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using Npgsql;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>Proves that <see cref="PostgresServer"/> starts a real cluster and that its faults are real.</summary>
/// <remarks>One cluster for the fixture; every test leaves it running and thawed (see <see cref="RecoverAsync"/>).</remarks>
public sealed class PostgresServerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);
    private PostgresServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task DisposeServerAsync() => await _server.DisposeAsync();

    [TearDown]
    public async Task RecoverAsync()
    {
        _server.Thaw();
        NpgsqlConnection.ClearAllPools(); // Connections pooled before a stop or restart are stale (57P01).
        if (!_server.IsRunning)
        {
            await _server.StartAgainAsync();
        }
    }

    [Test]
    public async Task StartAsync_NewCluster_AnswersSelectOneOverLoopbackTcp()
    {
        await using var connection = await OpenAsync(_server.ConnectionString);
        await using var command = new NpgsqlCommand("SELECT 1, host(inet_server_addr()), inet_server_port()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Multiple(() =>
        {
            Assert.That(reader.GetInt32(0), Is.EqualTo(1));
            Assert.That(reader.GetString(1), Is.EqualTo("127.0.0.1"));
            Assert.That(reader.GetInt32(2), Is.EqualTo(_server.Port));
            Assert.That(new NpgsqlConnectionStringBuilder(_server.ConnectionString).Pooling, Is.True);
        });
    }

    [Test]
    public void Freeze_RunningServer_StopsPostmasterAndEveryChild()
    {
        _server.Freeze();

        var processes = _server.ServerProcessIds();
        Assert.That(processes, Has.Count.GreaterThan(1), "the postmaster and its background processes");
        Assert.That(processes.Select(ProcessState.Of), Is.All.EqualTo('T'));
    }

    [Test]
    public async Task Freeze_QueryWithOneSecondDeadline_CompletesOnlyAfterThaw()
    {
        _server.Freeze();
        var query = SelectOneAsync(_server.ConnectionString);

        Assert.That(await Capture.ExceptionAsync(() => query.WaitAsync(Deadline)), Is.TypeOf<TimeoutException>());

        _server.Thaw();
        Assert.That(await query.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(1));
    }

    [Test]
    public async Task Thaw_WhenNotFrozen_LeavesServerAnswering()
    {
        _server.Thaw();
        _server.Thaw();

        Assert.That(await SelectOneAsync(_server.ConnectionString).WaitAsync(Deadline), Is.EqualTo(1));
    }

    [Test]
    public async Task StopAsync_ThenConnect_IsRefused()
    {
        var postmaster = _server.PostmasterPid;

        await _server.StopAsync();

        var error = await Capture.ExceptionAsync(() => SelectOneAsync(Unpooled(_server.ConnectionString)));
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf<NpgsqlException>());
            Assert.That(error!.InnerException, Is.TypeOf<SocketException>()
                .With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionRefused));
            Assert.That(ProcessState.IsAlive(postmaster), Is.False);
            Assert.That(_server.PostmasterPid, Is.Zero);
        });
    }

    [Test]
    public async Task StartAgainAsync_AfterStop_AnswersOnTheSamePort()
    {
        var port = _server.Port;
        var oldPostmaster = _server.PostmasterPid;
        await _server.StopAsync();

        await _server.StartAgainAsync();

        Assert.That(_server.Port, Is.EqualTo(port));
        Assert.That(_server.PostmasterPid, Is.Not.Zero.And.Not.EqualTo(oldPostmaster));
        Assert.That(await SelectOneAsync(_server.ConnectionString), Is.EqualTo(1));
    }

    [Test]
    public async Task RestartAsync_RunningServer_AnswersWithANewPostmaster()
    {
        var oldPostmaster = _server.PostmasterPid;

        await _server.RestartAsync();

        Assert.That(_server.PostmasterPid, Is.Not.Zero.And.Not.EqualTo(oldPostmaster));
        Assert.That(await SelectOneAsync(_server.ConnectionString), Is.EqualTo(1));
    }

    [Test]
    public async Task GetClientBackendsAsync_TwoOpenConnections_ListsExactlyThose()
    {
        var applicationName = $"fixture-test-{Guid.NewGuid():N}"[..30];
        var connectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionString)
        {
            Pooling = false,
            ApplicationName = applicationName,
        }.ConnectionString;

        await using (await OpenAsync(connectionString))
        await using (await OpenAsync(connectionString))
        {
            var backends = await _server.GetClientBackendsAsync();
            Assert.That(backends.Count(backend => backend.ApplicationName == applicationName), Is.EqualTo(2));
        }

        // A closed connection's backend exits asynchronously.
        await Poll.UntilAsync(
            async () => (await _server.GetClientBackendsAsync()).All(backend => backend.ApplicationName != applicationName),
            TimeSpan.FromSeconds(5),
            "the closed connections' backends to exit");
    }

    [Test]
    public async Task CountClientConnectionsAsync_IdleServer_DoesNotCountItsOwnProbe()
    {
        NpgsqlConnection.ClearAllPools();
        await Poll.UntilAsync(
            async () => await _server.CountClientConnectionsAsync() == 0,
            TimeSpan.FromSeconds(5),
            "no client connections");

        Assert.That(await _server.CountClientConnectionsAsync(), Is.Zero);
    }

    [Test]
    public async Task DisposeAsync_FrozenServer_KillsItAndDeletesTheFolder()
    {
        var server = await PostgresServer.StartAsync();
        var processes = server.ServerProcessIds();
        server.Freeze();

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        var error = await Capture.ExceptionAsync(() => SelectOneAsync(Unpooled(server.ConnectionString)));
        Assert.Multiple(() =>
        {
            Assert.That(processes.Where(ProcessState.IsAlive), Is.Empty);
            Assert.That(Directory.Exists(server.TempDirectory), Is.False);
            Assert.That(error, Is.InstanceOf<NpgsqlException>());
        });
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<int> SelectOneAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    // A pooled string could hand back an idle connection instead of proving that a new one is refused.
    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
