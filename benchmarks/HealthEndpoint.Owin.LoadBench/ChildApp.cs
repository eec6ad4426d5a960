using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>
/// An app of this repository (the Kestrel peer, the ASP.NET Core Health Checks peer, LegacyApp) as a child process
/// on a free 127.0.0.1 port.
/// </summary>
/// <remarks>
/// A child process, not in-process: it is how users run these apps, and its CPU time can be read apart from this
/// process's. All run workstation GC. Disposing kills it by its PID; the peers also end themselves when this
/// process is gone or after 15 minutes, and LegacyApp is killed by the same PID when this process ends normally.
/// </remarks>
internal sealed class ChildApp : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private ChildApp(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>The Kestrel peer (benchmarks/KestrelPeer), answering ping with a raw <c>app.Run</c>.</summary>
    public static Task<ChildApp> StartKestrelPeerAsync(CancellationToken cancellationToken) => StartAsync(
        "KestrelPeerPath",
        port => ["--port", Invariant(port), "--parent-pid", Invariant(Environment.ProcessId), "--max-seconds", "900"],
        new Dictionary<string, string>(),
        "ready",
        cancellationToken);

    /// <summary>
    /// Starts the app built at the path the assembly metadata <paramref name="pathKey"/> names, with the arguments
    /// and environment for a port, and returns once it printed a line starting with <paramref name="readyLine"/>;
    /// a new port when the bind failed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The app is not built, or never became ready.</exception>
    public static async Task<ChildApp> StartAsync(
        string pathKey,
        Func<int, IEnumerable<string>> arguments,
        IReadOnlyDictionary<string, string> environment,
        string readyLine,
        CancellationToken cancellationToken)
    {
        var appPath = AssemblyPath(pathKey);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var startInfo = new ProcessStartInfo(DotNetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add(appPath);
            foreach (var argument in arguments(port))
            {
                startInfo.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }

            startInfo.Environment["Urls"] = Invariant($"http://127.0.0.1:{port}/");
            var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{appPath} could not be started.");
            var peer = new ChildApp(process, port);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            if (await WaitForReadyAsync(process, readyLine, cancellationToken))
            {
                // Keep draining stdout so that the peer can never block on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return peer;
            }

            await peer.DisposeAsync();
            var error = await stderr;
            if (attempt == StartAttempts || !error.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{Path.GetFileName(appPath)} did not become ready on port {port}:{Environment.NewLine}{error}");
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

    private static async Task<bool> WaitForReadyAsync(Process process, string readyLine, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadyTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith(readyLine, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false; // stdout closed: the app exited (typically: the port was taken).
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    private static string AssemblyPath(string key)
    {
        var path = typeof(ChildApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value;
        if (path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No app is built at '{path}' ({key}). Build it with: dotnet build -c Release benchmarks/HealthEndpoint.Owin.LoadBench");
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

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
