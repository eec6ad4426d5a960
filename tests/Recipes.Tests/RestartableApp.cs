using System;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>
/// One LegacyApp instance on a port of its own that it keeps across restarts, as a systemd template unit
/// (<c>legacyapp@8081</c>) would: stopped with SIGTERM and waited for, then started again with the same command.
/// </summary>
internal sealed class RestartableApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly ProgramCommand _command;
    private readonly StringBuilder _earlierOutput = new();
    private ProgramProcess? _process;

    public RestartableApp(string name, int port, ProgramCommand command)
    {
        Name = name;
        Port = port;
        _command = command;
    }

    /// <summary>The instance's name, as HAProxy's <c>server</c> line calls it (<c>app1</c>).</summary>
    public string Name { get; }

    /// <summary>The command it is started with; change its environment to start it differently next time.</summary>
    public ProgramCommand Command => _command;

    /// <summary>The loopback port it listens on, every time it is started.</summary>
    public int Port { get; }

    /// <summary>What every run so far wrote to stdout and stderr.</summary>
    public string Output => _earlierOutput + (_process?.Output ?? string.Empty);

    /// <summary>Starts the program and returns once its port accepts connections.</summary>
    /// <exception cref="InvalidOperationException">It exited before listening (its output is in the message).</exception>
    public async Task StartAsync()
    {
        var process = ProgramProcess.Start(_command);
        _process = process;
        await Poll.UntilAsync(async () => process.HasExited || await AcceptsAsync(Port), StartTimeout, $"{Name} to listen on 127.0.0.1:{Port}");
        if (process.HasExited)
        {
            await process.TryWaitForExitAsync(StopTimeout);
            throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before listening on {Port}:{Environment.NewLine}{process.Output}");
        }
    }

    /// <summary>Sends SIGTERM and waits for the exit, which must be a clean one (0): the drain and stop are graceful.</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} is not running.");
        PosixSignal.TrySend(process.Id, PosixSignal.Terminate);
        await process.WaitForExitAsync(StopTimeout);
        var exitCode = process.ExitCode;
        _earlierOutput.Append(process.Output);
        _process = null;
        await process.DisposeAsync();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Name} exited with {exitCode} after SIGTERM:{Environment.NewLine}{_earlierOutput}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await client.ConnectAsync("127.0.0.1", port, deadline.Token);
        return true;
    }
}
