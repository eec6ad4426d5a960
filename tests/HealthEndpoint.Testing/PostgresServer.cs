using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp folder, listening on a free 127.0.0.1 port with trust authentication,
/// plus the faults integration tests need: stop, start again, restart, freeze (SIGSTOP) and thaw.
/// </summary>
/// <remarks>
/// As root, initdb and the postmaster run as the <c>postgres</c> user (via runuser). Not thread-safe: drive one
/// instance from one test at a time. Dispose it to thaw, stop (<c>-m immediate</c>) and delete the folder.
/// </remarks>
public sealed partial class PostgresServer : IFaultableServer
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _rootDirectory;
    private readonly string _dataDirectory;
    private readonly string _logFile;
    private readonly string _adminConnectionString;
    private readonly List<int> _frozenPids = [];
    private bool _disposed;

    private PostgresServer(string rootDirectory, int port)
    {
        _rootDirectory = rootDirectory;
        _dataDirectory = Path.Combine(rootDirectory, "data");
        _logFile = Path.Combine(rootDirectory, "server.log");
        Port = port;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            Pooling = true,
        };
        ConnectionString = builder.ConnectionString;

        // The fixture's own probes must neither use nor pollute the pool that tests measure.
        builder.Pooling = false;
        builder.ApplicationName = "HealthEndpoint.Testing";
        builder.Timeout = 2;
        builder.CommandTimeout = 5;
        _adminConnectionString = builder.ConnectionString;
    }

    /// <summary>The loopback TCP port the server listens on; it stays the same across stop/start.</summary>
    public int Port { get; }

    /// <summary>The temp folder holding the cluster (<c>data/</c>), the unix socket and <c>server.log</c>.</summary>
    public string TempDirectory => _rootDirectory;

    /// <summary>
    /// Npgsql connection string: TCP 127.0.0.1, user and database <c>postgres</c>, no password (trust),
    /// <c>Pooling=true</c>, Npgsql's default timeouts.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>The PID of the running postmaster, or 0 while the server is stopped.</summary>
    public int PostmasterPid { get; private set; }

    /// <summary>Whether the server has been started and not stopped since.</summary>
    public bool IsRunning => PostmasterPid != 0;

    /// <summary>
    /// Creates a cluster (initdb) in a new temp folder, starts it on a free port (another port if that one was
    /// taken meanwhile) and returns once a real <c>SELECT 1</c> succeeds.
    /// </summary>
    /// <exception cref="InvalidOperationException">The binaries are missing, or initdb or pg_ctl failed.</exception>
    public static async Task<PostgresServer> StartAsync()
    {
        var initDb = ServerBinaries.InitDb;
        var rootDirectory = Directory.CreateTempSubdirectory("healthendpoint-pg-").FullName;
        try
        {
            await CommandLine.GiveToPostgresUserAsync(rootDirectory);
            (await CommandLine.RunAsPostgresUserAsync(
                initDb,
                ["-D", Path.Combine(rootDirectory, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                CommandTimeout)).EnsureSuccess();
        }
        catch
        {
            ServerFiles.DeleteDirectory(rootDirectory);
            throw;
        }

        return await StartClusterAsync(rootDirectory);
    }

    /// <summary>Starts the cluster in <paramref name="rootDirectory"/><c>/data</c> on a free port, retrying on a taken one.</summary>
    private static async Task<PostgresServer> StartClusterAsync(string rootDirectory)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(rootDirectory, FreeTcpPort.Next());
            try
            {
                var logStart = server.LogLength();
                var start = await server.RunPgCtlStartAsync();
                if (start.ExitCode == 0)
                {
                    await server.WaitUntilReadyAsync();
                    return server;
                }

                var log = server.ReadLog(logStart);
                if (attempt == StartAttempts || !log.Contains("already in use", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"PostgreSQL did not start:{Environment.NewLine}{start.Output}{Environment.NewLine}{log}");
                }
            }
            catch
            {
                await server.DisposeAsync(); // Stops a postmaster that started but never answered; deletes the folder.
                throw;
            }
        }
    }

    /// <summary>Stops the server with <c>pg_ctl stop -m fast</c> (thawing it first); clients are disconnected.</summary>
    public async Task StopAsync()
    {
        Thaw();
        (await RunPgCtlAsync("-m", "fast", "stop")).EnsureSuccess();
        PostmasterPid = 0;
    }

    /// <summary>Starts the stopped server again on the same port and data directory; returns once it answers.</summary>
    /// <exception cref="InvalidOperationException">pg_ctl failed, e.g. because the port has been taken meanwhile.</exception>
    public async Task StartAgainAsync()
    {
        var logStart = LogLength();
        var start = await RunPgCtlStartAsync();
        if (start.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL did not start again on port {Port}:{Environment.NewLine}{start.Output}{Environment.NewLine}{ReadLog(logStart)}");
        }

        await WaitUntilReadyAsync();
    }

    /// <summary>Stops (<c>-m fast</c>) and starts the server; pooled client connections become stale (57P01).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>
    /// Sends SIGSTOP to the postmaster and all of its descendants (backends, background workers) and returns once
    /// every one of them is stopped: the port still accepts TCP connections, but nothing answers.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server is not running.</exception>
    public void Freeze()
    {
        var postmaster = PostmasterPid != 0 ? PostmasterPid : throw new InvalidOperationException("PostgreSQL is not running.");
        _frozenPids.AddRange(ProcessFreezer.Freeze(postmaster, includeDescendants: true));
    }

    /// <summary>Sends SIGCONT to every process <see cref="Freeze"/> stopped; harmless when nothing is frozen.</summary>
    public void Thaw()
    {
        ProcessFreezer.Thaw(_frozenPids);
        _frozenPids.Clear();
    }

    /// <summary>The PIDs of the postmaster and all its descendants (empty while stopped).</summary>
    public IReadOnlyList<int> ServerProcessIds()
    {
        var postmaster = PostmasterPid;
        return postmaster == 0 ? [] : [postmaster, .. ProcessTree.Descendants(postmaster)];
    }

    /// <summary>
    /// The client backends in <c>pg_stat_activity</c>, i.e. every open client connection except the fixture's
    /// own probe; use it to prove that checks do not pile up connections.
    /// </summary>
    public Task<IReadOnlyList<PostgresClientBackend>> GetClientBackendsAsync() => PostgresClientBackend.ListAsync(_adminConnectionString);

    /// <summary>How many client connections are open (see <see cref="GetClientBackendsAsync"/>).</summary>
    public async Task<int> CountClientConnectionsAsync() => (await GetClientBackendsAsync()).Count;

    /// <summary>Thaws, stops the server with <c>pg_ctl stop -m immediate</c> and deletes the temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Thaw();
        try
        {
            if (IsRunning)
            {
                await RunPgCtlAsync("-m", "immediate", "stop");
            }
        }
        finally
        {
            // pg_ctl failing must not leave a server behind.
            if (IsRunning && ProcessTree.IsAlive(PostmasterPid))
            {
                foreach (var pid in ServerProcessIds())
                {
                    PosixSignal.TrySend(pid, PosixSignal.Kill);
                }
            }

            PostmasterPid = 0;
            ServerFiles.DeleteDirectory(_rootDirectory);
        }
    }

    private async Task<CommandResult> RunPgCtlStartAsync()
    {
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {Port} -k {_rootDirectory} -c listen_addresses=127.0.0.1 -c fsync=off");
        var result = await RunPgCtlAsync("-l", _logFile, "-o", options, "start");
        if (result.ExitCode == 0)
        {
            PostmasterPid = ReadPostmasterPid();
        }

        return result;
    }

    private Task<CommandResult> RunPgCtlAsync(params string[] arguments) =>
        CommandLine.RunAsPostgresUserAsync(ServerBinaries.PgCtl, ["-D", _dataDirectory, "-w", "-t", "30", .. arguments], CommandTimeout);

    private int ReadPostmasterPid()
    {
        // First line of postmaster.pid is the PID (root can read it; otherwise we are the owner).
        var firstLine = File.ReadLines(Path.Combine(_dataDirectory, "postmaster.pid")).First();
        return int.Parse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private Task WaitUntilReadyAsync() => Poll.UntilAsync(
        async () =>
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return (int?)await command.ExecuteScalarAsync() == 1;
        },
        ReadyTimeout,
        $"PostgreSQL on 127.0.0.1:{Port} to answer SELECT 1");

    private long LogLength() => ServerFiles.Length(_logFile);

    /// <summary>The server log from byte <paramref name="offset"/> on (pg_ctl appends across starts).</summary>
    private string ReadLog(long offset = 0) => ServerFiles.ReadFrom(_logFile, offset);
}
