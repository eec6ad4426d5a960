using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Owin.HealthEndpoint.Testing;

namespace Owin.HealthEndpoint.LoadBench;

/// <summary>The Kestrel peer (benchmarks/KestrelPeer) as a child process on a free 127.0.0.1 port.</summary>
/// <remarks>
/// A child process, not an in-process Kestrel: it is how users run Kestrel, and its CPU time can be read apart
/// from this process's. Both run workstation GC (see KestrelPeer.csproj). Disposing kills it by its PID; it also
/// ends itself when this process is gone or after 15 minutes.
/// </remarks>
internal sealed class KestrelPeerProcess : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private KestrelPeerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the peer and returns once it printed "ready"; a new port when the bind failed.</summary>
    /// <exception cref="InvalidOperationException">The peer is not built, or never became ready.</exception>
    public static async Task<KestrelPeerProcess> StartAsync(CancellationToken cancellationToken)
    {
        var peerPath = PeerAssemblyPath();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var startInfo = new ProcessStartInfo(DotNetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { peerPath, "--port", Invariant(port), "--parent-pid", Invariant(Environment.ProcessId), "--max-seconds", "900" })
            {
                startInfo.ArgumentList.Add(argument);
            }

            var process = Process.Start(startInfo) ?? throw new InvalidOperationException("The Kestrel peer could not be started.");
            var peer = new KestrelPeerProcess(process, port);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            if (await WaitForReadyAsync(process, cancellationToken))
            {
                // Keep draining stdout so that the peer can never block on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return peer;
            }

            await peer.DisposeAsync();
            var error = await stderr;
            if (attempt == StartAttempts || !error.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The Kestrel peer did not become ready on port {port}:{Environment.NewLine}{error}");
            }
        }
    }

    public string Url(string path) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}{path}");

    /// <summary>Kills the peer (by its PID) and waits up to 10 s for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or it did not exit in time: nothing more this process can do.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static async Task<bool> WaitForReadyAsync(Process process, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadyTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line == "ready")
                {
                    return true;
                }
            }

            return false; // stdout closed: the peer exited (typically: the port was taken).
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    private static string PeerAssemblyPath()
    {
        var path = typeof(KestrelPeerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "KestrelPeerPath")?.Value;
        if (path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Kestrel peer is not built at '{path}'. Build it with: dotnet build -c Release benchmarks/KestrelPeer");
        }

        return Path.GetFullPath(path);
    }

    // The dotnet host that runs this process, so that the peer gets the same runtime; under 'dotnet run' this
    // process is its apphost, so the host is found next to the shared runtime (…/shared/Microsoft.NETCore.App/<v>/).
    private static string DotNetHost()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        var nextToRuntime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(nextToRuntime) ? nextToRuntime : "dotnet";
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
