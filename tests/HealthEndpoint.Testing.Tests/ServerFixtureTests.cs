using System;
using System.IO;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>
/// What every single-process server fixture (<see cref="RedisServer"/>, <see cref="MariaDbServer"/>) proves the same
/// way: a stop that refuses connections and ends the process, a restart on the same port with a new process, and a
/// dispose that kills even a frozen server and deletes its folder.
/// </summary>
/// <remarks>
/// One server for the fixture; every test leaves it running and thawed (<see cref="RecoverAsync"/>, plus what
/// <see cref="ResetAsync"/> adds).
/// </remarks>
/// <typeparam name="TServer">The fixture under test.</typeparam>
public abstract class ServerFixtureTests<TServer>
    where TServer : class, IFaultableServer
{
    /// <summary>The server the fixture's tests share.</summary>
    protected TServer Server { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => Server = await StartAsync();

    [OneTimeTearDown]
    public async Task DisposeServerAsync() => await Server.DisposeAsync();

    [TearDown]
    public async Task RecoverAsync()
    {
        Server.Thaw();
        if (!Server.IsRunning)
        {
            await Server.StartAgainAsync();
        }

        await ResetAsync();
    }

    [Test]
    public async Task StopAsync_ThenConnect_IsRefused()
    {
        var pid = PidOf(Server);

        await Server.StopAsync();

        await StoppedServer.AssertGoneAsync(Server.Port, pid, PidOf(Server));
    }

    [Test]
    public async Task RestartAsync_AnswersOnTheSamePortWithANewProcess()
    {
        var (port, pid) = (Server.Port, PidOf(Server));

        await Server.RestartAsync();

        Assert.That((Server.Port, PidOf(Server) == pid), Is.EqualTo((port, false)));
        Assert.That(await AnswerAsync(Server), Is.Null, "no exception");
    }

    [Test]
    public async Task DisposeAsync_FrozenServer_KillsItAndDeletesTheFolder()
    {
        var server = await StartAsync();
        var (pid, folder) = (PidOf(server), TempDirectoryOf(server));
        server.Freeze();

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(ProcessState.IsAlive(pid), Is.False);
            Assert.That(Directory.Exists(folder), Is.False);
        });
    }

    /// <summary>Starts a new server of the fixture's kind.</summary>
    protected abstract Task<TServer> StartAsync();

    /// <summary>The server's PID, 0 while it is stopped.</summary>
    protected abstract int PidOf(TServer server);

    /// <summary>The temp folder the server works in.</summary>
    protected abstract string TempDirectoryOf(TServer server);

    /// <summary>A client's real request to the server: the failure, or null when it was answered.</summary>
    protected abstract Task<Exception?> AnswerAsync(TServer server);

    /// <summary>What else a test may have changed, undone after each.</summary>
    protected virtual Task ResetAsync() => Task.CompletedTask;
}
