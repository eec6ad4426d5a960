using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
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
public sealed class RedisServer : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly string _directory;
    private readonly string _logFile;
    private ServerProcess? _process;
    private bool _disposed;

    private RedisServer(string directory, int port, string? password)
    {
        _directory = directory;
        _logFile = Path.Combine(directory, "redis.log");
        Port = port;
        Password = password;
        Configuration = password is null
            ? string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000,syncTimeout=2000")
            : string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port},password={password},abortConnect=false,connectTimeout=2000,syncTimeout=2000");
    }

    /// <summary>The loopback TCP port the server listens on; it stays the same across stop/start.</summary>
    public int Port { get; }

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
    public int Pid => _process?.Pid ?? 0;

    /// <summary>Whether the server has been started and not stopped since.</summary>
    public bool IsRunning => Pid != 0;

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
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(directory, FreeTcpPort.Next(), password);
            try
            {
                if (await server.TryLaunchAsync(redisServer))
                {
                    return server;
                }
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            if (attempt == StartAttempts)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server found every one of {StartAttempts} free ports taken.");
            }
        }
    }

    /// <summary>Stops the server with SIGTERM (thawing it first; SIGKILL after 10 s) and waits for the process to exit.</summary>
    public async Task StopAsync()
    {
        Thaw();
        if (_process is { } process)
        {
            _process = null;
            await process.StopAsync(StopTimeout);
        }
    }

    /// <summary>Starts the stopped server again on the same port with the same password; returns once it answers PING.</summary>
    /// <exception cref="InvalidOperationException">The server is running, or it did not start (e.g. the port was taken).</exception>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Redis is still running; stop it first.");
        }

        if (!await TryLaunchAsync(ServerBinaries.RedisServerPath))
        {
            throw new InvalidOperationException($"Redis could not start again: port {Port} has been taken.");
        }
    }

    /// <summary>Sends SIGSTOP and returns once the process is stopped: the port still accepts TCP connections, but nothing answers.</summary>
    /// <exception cref="InvalidOperationException">The server is not running.</exception>
    public void Freeze() =>
        ProcessFreezer.Freeze(Pid != 0 ? Pid : throw new InvalidOperationException("Redis is not running."), includeDescendants: false);

    /// <summary>Sends SIGCONT; harmless when the server is not frozen or not running.</summary>
    public void Thaw()
    {
        if (Pid != 0)
        {
            PosixSignal.TrySend(Pid, PosixSignal.Continue);
        }
    }

    /// <summary>The number of keys in database 0 (<c>DBSIZE</c> over a short-lived raw socket).</summary>
    public async Task<long> CountKeysAsync()
    {
        var reply = await RespClient.ExecuteAsync(Port, Password, ["DBSIZE"], ProbeTimeout);
        return reply.StartsWith(':')
            ? long.Parse(reply.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"Unexpected DBSIZE reply: {reply}");
    }

    /// <summary>Kills the process by PID (after thawing it) and deletes the temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Thaw();
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test run; the OS cleans /tmp.
        }
    }

    /// <summary>Starts the process and waits for PONG; false when the port was taken (the process has exited).</summary>
    private async Task<bool> TryLaunchAsync(string redisServer)
    {
        File.Delete(_logFile); // So that "Address already in use" can only come from this attempt.
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", "no",
            "--daemonize", "no",
            "--dir", _directory,
            "--logfile", _logFile,
            .. Password is null ? Array.Empty<string>() : ["--requirepass", Password],
        ];
        var process = ServerProcess.Start(redisServer, arguments, _directory);
        _process = process;

        await Poll.UntilAsync(
            async () => process.HasExited
                || await RespClient.ExecuteAsync(Port, Password, ["PING"], ProbeTimeout) == "+PONG",
            ReadyTimeout,
            $"Redis on 127.0.0.1:{Port} to answer PING");
        if (!process.HasExited)
        {
            return true;
        }

        var log = File.Exists(_logFile) ? await File.ReadAllTextAsync(_logFile) : string.Empty;
        await KillAsync();
        return log.Contains("Address already in use", StringComparison.Ordinal)
            ? false
            : throw new InvalidOperationException($"redis-server exited before answering PING:{Environment.NewLine}{log}");
    }

    private async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.KillAsync();
        }
    }
}
