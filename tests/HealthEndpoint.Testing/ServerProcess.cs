using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A server program (redis-server, mariadbd) run as a child of the test process and stopped by its PID: SIGTERM, then
/// SIGKILL if it has not exited in time.
/// </summary>
/// <remarks>
/// It gets pipes of its own, read and discarded, not the test host's: an orphaned server must not keep
/// <c>dotnet test</c> waiting for EOF. Its log goes to a file its arguments name.
/// </remarks>
internal sealed class ServerProcess
{
    private readonly Process _process;

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Whether the program has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The PID, or 0 once the program has exited.</summary>
    public int Pid => _process.HasExited ? 0 : _process.Id;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    /// <exception cref="InvalidOperationException">The program did not start.</exception>
    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process);
    }

    /// <summary>Sends SIGTERM and waits for the exit; kills the program if it is still running after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            PosixSignal.TrySend(_process.Id, PosixSignal.Terminate);
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not shut down in time; KillAsync ends it with SIGKILL.
            }
        }

        await KillAsync();
    }

    /// <summary>Kills the program unless it has exited, waits for it, and releases it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
