using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using MySqlConnector;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A throwaway MariaDB server (Debian's <c>mariadb-server</c>) in a temp folder, listening on a free 127.0.0.1
/// port, with one database and one password-protected user for the app, plus the faults integration tests need:
/// stop, start again, restart, freeze (SIGSTOP) and thaw.
/// </summary>
/// <remarks>
/// <c>mariadbd</c> is a child process of the test (no <c>mysqld_safe</c>, no service), so it is stopped by its PID.
/// As root it runs with <c>--user=root</c>. Not thread-safe: drive one instance from one test at a time. Dispose it
/// to thaw, kill the process and delete the folder.
/// </remarks>
public sealed class MariaDbServer : IFaultableServer
{
    /// <summary>The app's user name; the database has the same name.</summary>
    public const string AppUser = "healthendpoint";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly string _rootDirectory;
    private readonly string _adminConnectionString;
    private readonly LoopbackServerProcess _process;

    private MariaDbServer(string mariadbd, string rootDirectory, int port, string password)
    {
        _rootDirectory = rootDirectory;
        var socket = Path.Combine(rootDirectory, "mariadb.sock");
        Password = password;
        ConnectionString = ConnectionStringFor(port, password);

        // The fixture's own connection: root over the unix socket (no password, no TCP), unpooled, so that it
        // neither uses nor pollutes the pool the tests measure, and works whatever the app user may do.
        _adminConnectionString = new MySqlConnectionStringBuilder
        {
            Server = socket,
            ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
            UserID = "root",
            Pooling = false,
            ConnectionTimeout = 2,
            DefaultCommandTimeout = 5,
        }.ConnectionString;

        string[] arguments =
        [
            "--no-defaults",
            $"--datadir={Path.Combine(rootDirectory, "data")}",
            .. RunAsArguments(),
            "--port=" + port.ToString(CultureInfo.InvariantCulture),
            "--bind-address=127.0.0.1",
            $"--socket={socket}",
            $"--pid-file={Path.Combine(rootDirectory, "mariadbd.pid")}",
            $"--log-error={Path.Combine(rootDirectory, "error.log")}",
            "--skip-log-bin",
            "--skip-name-resolve",
            // A throwaway server: no fsync, a small buffer pool.
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-buffer-pool-size=32M",
        ];
        _process = new LoopbackServerProcess(
            "MariaDB", port, mariadbd, arguments, rootDirectory, Path.Combine(rootDirectory, "error.log"),
            "SELECT 1 as root on its socket", () => AnswersAsync(_adminConnectionString), ReadyTimeout);
    }

    /// <summary>The loopback TCP port the server listens on; it stays the same across stop/start.</summary>
    public int Port => _process.Port;

    /// <summary>The app user's password.</summary>
    public string Password { get; }

    /// <summary>The temp folder holding <c>data/</c>, the unix socket and <c>error.log</c>.</summary>
    public string TempDirectory => _rootDirectory;

    /// <summary>
    /// MySqlConnector connection string: TCP 127.0.0.1, user and database <see cref="AppUser"/> with
    /// <see cref="Password"/>, MySqlConnector's default pooling and timeouts.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>The PID of the running <c>mariadbd</c>, or 0 while it is stopped.</summary>
    public int Pid => _process.Pid;

    /// <summary>Whether the server has been started and not stopped since.</summary>
    public bool IsRunning => _process.IsRunning;

    /// <summary>
    /// Creates a data directory (<c>mariadb-install-db</c>) in a new temp folder, starts <c>mariadbd</c> on a free
    /// port (another port if that one was taken meanwhile), creates the app's database and user, and returns once the
    /// app user's <c>SELECT 1</c> succeeds over TCP.
    /// </summary>
    /// <exception cref="InvalidOperationException">The binaries are missing, or the install or the start failed.</exception>
    public static async Task<MariaDbServer> StartAsync()
    {
        var installDb = ServerBinaries.MariaDbInstallDb;
        var mariadbd = ServerBinaries.MariaDbServerPath;
        var rootDirectory = Directory.CreateTempSubdirectory("healthendpoint-mariadb-").FullName;
        try
        {
            (await CommandLine.RunAsync(
                installDb,
                ["--no-defaults", $"--datadir={Path.Combine(rootDirectory, "data")}", .. RunAsArguments(), "--auth-root-authentication-method=normal", "--skip-test-db"],
                InstallTimeout)).EnsureSuccess();
        }
        catch
        {
            ServerFiles.DeleteDirectory(rootDirectory);
            throw;
        }

        var password = "he-" + Guid.NewGuid().ToString("N")[..16];
        return await LoopbackServerProcess.StartOnAFreePortAsync("mariadbd", port => new MariaDbServer(mariadbd, rootDirectory, port, password), async server =>
        {
            if (!await server._process.TryLaunchAsync())
            {
                return false;
            }

            await server.CreateAppUserAsync();
            await server.WaitUntilAppUserIsServedAsync();
            return true;
        });
    }

    /// <summary>The app's connection string with another password (for the wrong-password fault).</summary>
    public string ConnectionStringWithPassword(string password) => ConnectionStringFor(Port, password);

    /// <summary>Stops the server with SIGTERM (thawing it first; SIGKILL after 20 s) and waits for it to exit.</summary>
    public Task StopAsync() => _process.StopAsync(StopTimeout);

    /// <summary>Starts the stopped server again on the same port and data directory; returns once it answers.</summary>
    /// <exception cref="InvalidOperationException">The server is running, or it did not start (e.g. the port was taken).</exception>
    public async Task StartAgainAsync()
    {
        await _process.StartAgainAsync();
        await WaitUntilAppUserIsServedAsync();
    }

    /// <summary>Stops and starts the server; pooled client connections become stale.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>
    /// Sends SIGSTOP to <c>mariadbd</c> (one process; its threads stop with it) and returns once it is stopped: the
    /// port still accepts TCP connections, but nothing answers.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server is not running.</exception>
    public void Freeze() => _process.Freeze();

    /// <summary>Sends SIGCONT; harmless when the server is not frozen or not running.</summary>
    public void Thaw() => _process.Thaw();

    /// <summary>
    /// Turns the server's <c>read_only</c> on or off (<c>SET GLOBAL</c>), as on a replica: the app user can then
    /// read but not write.
    /// </summary>
    public Task SetReadOnlyAsync(bool readOnly) => ExecuteAsAdminAsync(readOnly ? "SET GLOBAL read_only = ON" : "SET GLOBAL read_only = OFF");

    /// <summary>Kills the process by PID (after thawing it) and deletes the temp folder.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string ConnectionStringFor(int port, string password) => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)port,
        UserID = AppUser,
        Password = password,
        Database = AppUser,
    }.ConnectionString;

    // mariadbd refuses to run as root unless told to; as another user it runs as that user.
    private static string[] RunAsArguments() => Environment.IsPrivilegedProcess ? ["--user=root"] : [];

    private async Task CreateAppUserAsync()
    {
        // '%' and not 'localhost': with --skip-name-resolve a TCP client from 127.0.0.1 is matched by address.
        await ExecuteAsAdminAsync($"CREATE DATABASE {AppUser}");
        await ExecuteAsAdminAsync($"CREATE USER '{AppUser}'@'%' IDENTIFIED BY '{Password}'");
        await ExecuteAsAdminAsync($"GRANT ALL ON {AppUser}.* TO '{AppUser}'@'%'");
    }

    /// <summary>The app user's <c>SELECT 1</c> over TCP, unpooled: the server serves what the tests connect to.</summary>
    private Task WaitUntilAppUserIsServedAsync()
    {
        var connectionString = new MySqlConnectionStringBuilder(ConnectionString) { Pooling = false, ConnectionTimeout = 2 }.ConnectionString;
        return Poll.UntilAsync(() => AnswersAsync(connectionString), ReadyTimeout, $"MariaDB on 127.0.0.1:{Port} to answer the app user");
    }

    private static async Task<bool> AnswersAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT 1", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 1;
    }

    private async Task ExecuteAsAdminAsync(string sql)
    {
        await using var connection = new MySqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
