using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Owin.HealthEndpoint.Testing;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// samples/LegacyApp as its own process on a free loopback port, on real PostgreSQL (Npgsql), configured through
/// environment variables as the README shows; stopped with SIGTERM (then killed, by PID, if it hangs).
/// </summary>
internal sealed class LegacyAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LegacyAppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Authority => $"127.0.0.1:{Port}";

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

    /// <summary>Starts the app against <paramref name="connectionString"/> and returns once ping answers 200.</summary>
    public static async Task<LegacyAppProcess> StartAsync(string connectionString)
    {
        var port = FreeTcpPort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepositoryPaths.LegacyAppDll);
        start.Environment["Urls"] = $"http://127.0.0.1:{port}/";
        start.Environment["Database__Provider"] = "Npgsql";
        start.Environment["Database__ConnectionString"] = connectionString;
        start.Environment["HealthEndpoint__CheckTimeout"] = "00:00:01";

        // Every status request runs the checks, so a test sees a stop or start at once, not a reused result.
        start.Environment["HealthEndpoint__StatusCacheDuration"] = "00:00:00";

        var app = new LegacyAppProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), port);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://{app.Authority}/"), Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(
                async () => !app._process.HasExited && (await client.GetAsync("healthz/ping")).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30),
                "LegacyApp answers ping");
            return app;
        }
        catch (TimeoutException exception)
        {
            var output = app.Output;
            await app.DisposeAsync();
            throw new InvalidOperationException("LegacyApp did not start:\n" + output, exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignal.TrySend(_process.Id, PosixSignal.Terminate);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
