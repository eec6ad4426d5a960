using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A real program (haproxy, caddy, nginx, lighttpd, LegacyApp) run in the foreground on a free loopback port, with
/// its output collected; disposing it stops it by PID (see <see cref="ProgramProcess"/>).
/// </summary>
public sealed class ForegroundProcess : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(30);

    private readonly ProgramProcess _program;

    private ForegroundProcess(ProgramProcess program, int port)
    {
        _program = program;
        Port = port;
    }

    /// <summary>The loopback port the program listens on.</summary>
    public int Port { get; }

    /// <summary>The program's process id.</summary>
    public int Id => _program.Id;

    /// <summary>Whether the program has exited.</summary>
    public bool HasExited => _program.HasExited;

    /// <summary>Everything the program wrote to stdout and stderr so far.</summary>
    public string Output => _program.Output;

    /// <summary>
    /// Picks a free port, builds the command for it (e.g. writes the config file), starts the program and returns
    /// once 127.0.0.1:port accepts connections. A program that exits first (port taken meanwhile) is retried on
    /// another port; after the last attempt its output is in the exception.
    /// </summary>
    /// <param name="description">What is started, for messages ("nginx").</param>
    /// <param name="command">The command for a given port.</param>
    /// <exception cref="InvalidOperationException">The program exited before listening, on every attempt.</exception>
    /// <exception cref="TimeoutException">The program neither listened nor exited within 30 s; it has been stopped.</exception>
    public static async Task<ForegroundProcess> StartAsync(string description, Func<int, ProgramCommand> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var program = ProgramProcess.Start(command(port));
            try
            {
                await Poll.UntilAsync(async () => program.HasExited || await AcceptsAsync(port), ListenTimeout, $"{description} to listen on 127.0.0.1:{port}");
            }
            catch (TimeoutException)
            {
                await program.DisposeAsync();
                throw;
            }

            if (!program.HasExited)
            {
                return new ForegroundProcess(program, port);
            }

            await program.TryWaitForExitAsync(ListenTimeout);
            var failure = $"{description} exited with {program.ExitCode} before listening:{Environment.NewLine}{program.Output}";
            await program.DisposeAsync();
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException(failure);
            }
        }
    }

    /// <summary>Stops the program: SIGTERM, then a kill of its process tree if it does not exit.</summary>
    public ValueTask DisposeAsync() => _program.DisposeAsync();

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await client.ConnectAsync("127.0.0.1", port, deadline.Token);
        return true;
    }
}
