using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests.Hostile;

/// <summary>
/// LegacyApp as its own process on one host (<c>Host:Server</c>), on a free loopback port, optionally under a low
/// open-file limit (<c>ulimit -n</c> in the launch command): what a hostile client attacks, and what may die.
/// </summary>
internal sealed class HostileTarget : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ProgramProcess _process;

    private HostileTarget(ProgramProcess process, string server, int port)
    {
        _process = process;
        Server = server;
        Port = port;
    }

    /// <summary><c>HttpListener</c> or <c>Kestrel</c>.</summary>
    public string Server { get; }

    public int Port { get; }

    /// <summary>The app's process id (the shell execs dotnet, so it is LegacyApp itself).</summary>
    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => _process.Output;

    /// <summary>Resident memory in MB, from /proc/&lt;pid&gt;/status (VmRSS).</summary>
    public double RssMegabytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{Pid}/status").First(text => text.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return kilobytes / 1024.0;
        }
    }

    /// <summary>User plus system CPU time the process has used, from /proc/&lt;pid&gt;/stat.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
    }

    /// <summary>Starts LegacyApp on <paramref name="server"/> and waits until ping answers 200.</summary>
    /// <param name="server">HttpListener or Kestrel.</param>
    /// <param name="openFileLimit">The <c>ulimit -n</c> to run under; null keeps this process's limit.</param>
    /// <param name="settings">Extra settings as environment variables (<c>Database__Provider</c>).</param>
    public static async Task<HostileTarget> StartAsync(string server, int? openFileLimit = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var limit = openFileLimit is int files ? $"ulimit -n {files} && " : string.Empty;
            var command = new ProgramCommand("sh", ["-c", $"{limit}exec dotnet \"$0\"", LegacyAppDll()]);
            command.Environment["Urls"] = $"http://127.0.0.1:{port}/";
            command.Environment["Host__Server"] = server;
            command.Environment["Logging__Console__FormatterName"] = "simple";
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                command.Environment[name] = value;
            }

            var process = ProgramProcess.Start(command);
            var target = new HostileTarget(process, server, port);
            var deadline = DateTime.UtcNow + StartTimeout;
            while (!process.HasExited && DateTime.UtcNow < deadline)
            {
                if ((await RawHttp.GetAsync(port, "/healthz/ping", TimeSpan.FromSeconds(2))).Status == 200)
                {
                    return target;
                }

                await Task.Delay(100);
            }

            var output = process.Output;
            await target.DisposeAsync();
            if (attempt >= 3 || !output.Contains("Cannot listen", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"LegacyApp on {server} did not answer ping within {StartTimeout.TotalSeconds} s:\n{output}");
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; true when it did.</summary>
    public Task<bool> ExitsWithinAsync(TimeSpan timeout) => _process.TryWaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    // The sample's own build output (built with the solution), where its native SQLite library sits.
    private static string LegacyAppDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HealthEndpoint.Owin.sln")))
        {
            root = root.Parent;
        }

        var output = Path.Combine(root!.FullName, "samples", "LegacyApp", "bin", configuration, "net10.0");
        return Directory.GetFiles(output, "LegacyApp.dll", SearchOption.AllDirectories).Single();
    }
}
