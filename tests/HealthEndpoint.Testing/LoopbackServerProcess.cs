using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A server program (redis-server, mariadbd) on one loopback port across its stops and starts: launched and waited
/// for until it answers, told apart from a port taken meanwhile by its log, stopped, frozen and thawed by PID, and
/// disposed with the temp folder it works in.
/// </summary>
/// <remarks>
/// What the fixtures that hold one (<see cref="RedisServer"/>, <see cref="MariaDbServer"/>) have in common; each adds
/// its program's arguments and what "answers" means for it. Not thread-safe, like them.
/// </remarks>
internal sealed class LoopbackServerProcess : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly string _name;
    private readonly string _program;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _workingDirectory;
    private readonly string _logFile;
    private readonly string _readiness;
    private readonly Func<Task<bool>> _answers;
    private readonly TimeSpan _readyTimeout;
    private ServerProcess? _process;
    private bool _disposed;

    /// <param name="name">The server's name in messages (<c>Redis</c>).</param>
    /// <param name="port">The loopback port its <paramref name="arguments"/> name.</param>
    /// <param name="program">The program's path.</param>
    /// <param name="arguments">Its arguments, the same at every start.</param>
    /// <param name="workingDirectory">The temp folder it runs in, deleted on dispose.</param>
    /// <param name="logFile">The log its arguments name, appended to across starts.</param>
    /// <param name="readiness">What it must answer, for the timeout's message (<c>PING</c>).</param>
    /// <param name="answers">True once it answers; may throw while it cannot yet.</param>
    /// <param name="readyTimeout">How long a start may take.</param>
    public LoopbackServerProcess(string name, int port, string program, IReadOnlyList<string> arguments, string workingDirectory, string logFile, string readiness, Func<Task<bool>> answers, TimeSpan readyTimeout)
    {
        _name = name;
        Port = port;
        _program = program;
        _arguments = arguments;
        _workingDirectory = workingDirectory;
        _logFile = logFile;
        _readiness = readiness;
        _answers = answers;
        _readyTimeout = readyTimeout;
    }

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The PID of the running program, or 0 while it is stopped.</summary>
    public int Pid => _process?.Pid ?? 0;

    /// <summary>Whether the server has been started and not stopped since.</summary>
    public bool IsRunning => Pid != 0;

    /// <summary>
    /// Creates a server on a free port with <paramref name="create"/> and launches it with <paramref name="launch"/>;
    /// a new port when <paramref name="launch"/> finds the one picked taken in the meantime (returns false).
    /// </summary>
    /// <exception cref="InvalidOperationException">Every one of five free ports was taken.</exception>
    public static async Task<TServer> StartOnAFreePortAsync<TServer>(string program, Func<int, TServer> create, Func<TServer, Task<bool>> launch)
        where TServer : IAsyncDisposable
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = create(FreeTcpPort.Next());
            try
            {
                if (await launch(server))
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
                throw new InvalidOperationException($"{program} found every one of {StartAttempts} free ports taken.");
            }
        }
    }

    /// <summary>Starts the program and waits until it answers; false when it exited because the port was taken.</summary>
    /// <exception cref="InvalidOperationException">It exited for another reason (the message holds its log), or did not answer in time.</exception>
    public async Task<bool> TryLaunchAsync()
    {
        var logStart = ServerFiles.Length(_logFile); // so that "Address already in use" can only come from this start
        var process = ServerProcess.Start(_program, _arguments, _workingDirectory);
        _process = process;

        await Poll.UntilAsync(async () => process.HasExited || await _answers(), _readyTimeout, $"{_name} on 127.0.0.1:{Port} to answer {_readiness}");
        if (!process.HasExited)
        {
            return true;
        }

        var log = ServerFiles.ReadFrom(_logFile, logStart);
        await KillAsync();
        return log.Contains("Address already in use", StringComparison.Ordinal)
            ? false
            : throw new InvalidOperationException($"{Path.GetFileName(_program)} exited before answering {_readiness}:{Environment.NewLine}{log}");
    }

    /// <summary>Starts the stopped server again on the same port; returns once it answers.</summary>
    /// <exception cref="InvalidOperationException">The server is running, or it did not start (e.g. the port was taken).</exception>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{_name} is still running; stop it first.");
        }

        if (!await TryLaunchAsync())
        {
            throw new InvalidOperationException($"{_name} could not start again: port {Port} has been taken.");
        }
    }

    /// <summary>Stops the server with SIGTERM (thawing it first; SIGKILL after <paramref name="timeout"/>) and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        Thaw();
        if (_process is { } process)
        {
            _process = null;
            await process.StopAsync(timeout);
        }
    }

    /// <summary>Sends SIGSTOP and returns once the process is stopped: the port still accepts TCP connections, but nothing answers.</summary>
    /// <exception cref="InvalidOperationException">The server is not running.</exception>
    public void Freeze() =>
        ProcessFreezer.Freeze(Pid != 0 ? Pid : throw new InvalidOperationException($"{_name} is not running."), includeDescendants: false);

    /// <summary>Sends SIGCONT; harmless when the server is not frozen or not running.</summary>
    public void Thaw()
    {
        if (Pid != 0)
        {
            PosixSignal.TrySend(Pid, PosixSignal.Continue);
        }
    }

    /// <summary>Thaws the program and kills it by PID, unless it is stopped.</summary>
    public async Task KillAsync()
    {
        Thaw();
        if (_process is { } process)
        {
            _process = null;
            await process.KillAsync();
        }
    }

    /// <summary>Kills the program by PID (after thawing it) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        ServerFiles.DeleteDirectory(_workingDirectory);
    }
}
