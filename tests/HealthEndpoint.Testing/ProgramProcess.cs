using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A real program in its own process, its stdin closed, its stdout and stderr read as they come; disposing it stops
/// it by PID: SIGTERM, then, if it is still running after 15 s, a kill of its whole process tree.
/// </summary>
public sealed class ProgramProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly StringBuilder _standardError = new();
    private readonly Task _reading;

    private ProgramProcess(Process process, string commandText)
    {
        _process = process;
        CommandText = commandText;
        _reading = Task.WhenAll(CopyAsync(process.StandardOutput, _standardOutput), CopyAsync(process.StandardError, _standardError));
    }

    /// <summary>The command line, for messages.</summary>
    public string CommandText { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; only once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Stdout and stderr so far, in whole lines as they arrived from either.</summary>
    public string Output => Read(_output);

    /// <summary>Stdout so far, exactly as written.</summary>
    public string StandardOutput => Read(_standardOutput);

    /// <summary>Stderr so far, exactly as written.</summary>
    public string StandardError => Read(_standardError);

    /// <summary>Starts <paramref name="command"/>.</summary>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public static ProgramProcess Start(ProgramCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
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
        return new ProgramProcess(process, command.Text);
    }

    /// <summary>
    /// Waits until the program has exited and its output is read to the end; <see langword="false"/> (the program left
    /// running) when that takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> TryWaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            // The output too: a program's last lines may still be in the pipe when it exits.
            await _process.WaitForExitAsync(deadline.Token);
            await _reading.WaitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until the program has exited and its output is read to the end.</summary>
    /// <exception cref="TimeoutException">
    /// Not within <paramref name="timeout"/>; the program's process tree has been killed, and the message holds its output.
    /// </exception>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        if (!await TryWaitForExitAsync(timeout))
        {
            await KillAsync();
            throw new TimeoutException($"'{CommandText}' did not finish within {timeout.TotalSeconds:0.#} s:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Stops the program (SIGTERM, then a kill of its tree after 15 s) unless it has exited, and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignal.TrySend(_process.Id, PosixSignal.Terminate);
            if (!await TryWaitForExitAsync(StopTimeout))
            {
                await KillAsync();
            }
        }

        // A grandchild outside the tree could hold the pipes open; the output is not worth a hang.
        await Task.WhenAny(_reading, Task.Delay(StopTimeout));
        _process.Dispose();
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    // Each stream is kept exactly; the shared output takes only whole lines, so stdout and stderr never cut into
    // each other's lines (a log line asserted on must stay in one piece).
    private async Task CopyAsync(StreamReader reader, StringBuilder own)
    {
        var buffer = new char[4096];
        var copied = 0;
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
            {
                var lastNewline = Array.LastIndexOf(buffer, '\n', read - 1);
                lock (own)
                {
                    own.Append(buffer, 0, read);
                    copied = lastNewline < 0 ? copied : CopyToOutput(own, copied, own.Length - read + lastNewline + 1);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while a grandchild kept the pipe open.
        }
        catch (IOException)
        {
        }

        lock (own)
        {
            CopyToOutput(own, copied, own.Length);
        }
    }

    private int CopyToOutput(StringBuilder own, int from, int to)
    {
        lock (_output)
        {
            _output.Append(own, from, to - from);
        }

        return to;
    }
}
