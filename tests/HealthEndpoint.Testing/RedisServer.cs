using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A <c>redis-server</c> child process on a free 127.0.0.1 port with persistence off, working in a temp folder,
/// plus the faults integration tests need: stop, start again, freeze (SIGSTOP) and thaw.
/// </summary>
/// <remarks>
/// Not thread-safe: drive one instance from one test at a time. Dispose it to kill the process by PID and delete
/// the folder.
/// </remarks>
public sealed class RedisServer : IFaultableServer
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly string _directory;
    private readonly LoopbackServerProcess _process;

    private RedisServer(string redisServer, string directory, int port, string? password)
    {
        _directory = directory;
        Password = password;
        Configuration = password is null
            ? string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000,syncTimeout=2000")
            : string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},password={password},abortConnect=false,connectTimeout=2000,syncTimeout=2000");

        var logFile = Path.Combine(directory, "redis.log");
        string[] arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", "no",
            "--daemonize", "no",
            "--dir", directory,
            "--logfile", logFile,
            .. password is null ? Array.Empty<string>() : ["--requirepass", password],
        ];
        _process = new LoopbackServerProcess(
            "Redis", port, redisServer, arguments, directory, logFile,
            "PING", async () => await RespClient.ExecuteAsync(port, password, ["PING"], ProbeTimeout) == "+PONG", ReadyTimeout);
    }

    /// <summary>The loopback TCP port the server listens on; it stays the same across stop/start.</summary>
    public int Port => _process.Port;

    /// <summary>The temp folder the server works in (<c>--dir</c>); it holds <c>redis.log</c>.</summary>
    public string TempDirectory => _directory;

    /// <summary>The password the server requires (<c>requirepass</c>), or <see langword="null"/> for none.</summary>
    public string? Password { get; }

    /// <summary>
    /// StackExchange.Redis configuration string:
    /// <c>127.0.0.1:&lt;port&gt;[,password=…],abortConnect=false,connectTimeout=2000,syncTimeout=2000</c>.
    /// </summary>
    public string Configuration { get; }

    /// <summary>The PID of the running <c>redis-server</c>, or 0 while it is stopped.</summary>
    public int Pid => _process.Pid;

    /// <summary>Whether the server has been started and not stopped since.</summary>
    public bool IsRunning => _process.IsRunning;

    /// <summary>
    /// Starts <c>redis-server</c> on a free port (another port if that one was taken meanwhile) and returns once a
    /// real PING (after AUTH, when a password is set) is answered.
    /// </summary>
    /// <param name="password">When set, the server requires it (<c>--requirepass</c>). Must not contain a comma.</param>
    /// <exception cref="InvalidOperationException">redis-server is missing or did not start.</exception>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        if (password is not null && password.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException("A comma would end the password in the configuration string.", nameof(password));
        }

        var redisServer = ServerBinaries.RedisServerPath;
        var directory = Directory.CreateTempSubdirectory("healthendpoint-redis-").FullName;
        return await LoopbackServerProcess.StartOnAFreePortAsync(
            "redis-server", port => new RedisServer(redisServer, directory, port, password), server => server._process.TryLaunchAsync());
    }

    /// <summary>Stops the server with SIGTERM (thawing it first; SIGKILL after 10 s) and waits for the process to exit.</summary>
    public Task StopAsync() => _process.StopAsync(StopTimeout);

    /// <summary>Starts the stopped server again on the same port with the same password; returns once it answers PING.</summary>
    /// <exception cref="InvalidOperationException">The server is running, or it did not start (e.g. the port was taken).</exception>
    public Task StartAgainAsync() => _process.StartAgainAsync();

    /// <summary>Stops and starts the server; client connections are dropped and reconnect.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>Sends SIGSTOP and returns once the process is stopped: the port still accepts TCP connections, but nothing answers.</summary>
    /// <exception cref="InvalidOperationException">The server is not running.</exception>
    public void Freeze() => _process.Freeze();

    /// <summary>Sends SIGCONT; harmless when the server is not frozen or not running.</summary>
    public void Thaw() => _process.Thaw();

    /// <summary>The number of keys in database 0 (<c>DBSIZE</c> over a short-lived raw socket).</summary>
    public async Task<long> CountKeysAsync()
    {
        var reply = await RespClient.ExecuteAsync(Port, Password, ["DBSIZE"], ProbeTimeout);
        return reply.StartsWith(':')
            ? long.Parse(reply.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"Unexpected DBSIZE reply: {reply}");
    }

    /// <summary>Kills the process by PID (after thawing it) and deletes the temp folder.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
