using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Owin.HealthEndpoint.Testing;

namespace Recipes.Tests;

/// <summary>How to start a program that stays in the foreground and listens on one loopback port.</summary>
internal sealed record ForegroundCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Environment variables set for the program, on top of this process's own.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A real program (haproxy, caddy, nginx, lighttpd, LegacyApp) run in the foreground on a free loopback port,
/// with its output collected; stopped by PID with SIGTERM, then SIGKILL for its whole tree.
/// </summary>
internal sealed class ForegroundProcess : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ForegroundProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The loopback port the program listens on.</summary>
    public int Port { get; }

    /// <summary>The program's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Everything the program wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Picks a free port, builds the command for it (e.g. writes the config file), starts the program and returns
    /// once 127.0.0.1:port accepts connections. A program that exits first (port taken meanwhile) is retried on
    /// another port; after the last attempt its output is in the exception.
    /// </summary>
    public static async Task<ForegroundProcess> StartAsync(string description, Func<int, ForegroundCommand> command)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var process = Start(command(port), port);
            await Poll.UntilAsync(async () => process._process.HasExited || await AcceptsAsync(port), ListenTimeout, $"{description} to listen on 127.0.0.1:{port}");
            if (!process._process.HasExited)
            {
                return process;
            }

            var failure = $"{description} exited with {process._process.ExitCode} before listening:{Environment.NewLine}{process.Output}";
            await process.DisposeAsync();
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException(failure);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignal.TrySend(_process.Id, PosixSignal.Terminate);
            using var deadline = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private static ForegroundProcess Start(ForegroundCommand command, int port)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{command.FileName} did not start.");
        process.StandardInput.Close();
        return new ForegroundProcess(process, port);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await client.ConnectAsync("127.0.0.1", port, deadline.Token);
        return true;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
