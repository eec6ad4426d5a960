using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Probe;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// samples/LegacyApp as its own process on a free loopback port, on real PostgreSQL (Npgsql), configured through
/// environment variables as the README shows; stopped with SIGTERM (then killed, by PID, if it hangs).
/// </summary>
internal sealed class LegacyAppProcess : IAsyncDisposable
{
    private readonly ForegroundProcess _process;

    private LegacyAppProcess(ForegroundProcess process) => _process = process;

    public int Port => _process.Port;

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Authority => $"127.0.0.1:{Port}";

    /// <summary>Starts the app against <paramref name="connectionString"/> and returns once ping answers 200.</summary>
    /// <param name="connectionString">The PostgreSQL the database check probes.</param>
    /// <param name="settings">More environment settings (<c>HealthEndpoint__HealthJson</c> = <c>true</c>), if any.</param>
    public static async Task<LegacyAppProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new LegacyAppProcess(await ForegroundProcess.StartAsync("LegacyApp", port =>
        {
            var command = new ProgramCommand("dotnet", [RepositoryPaths.LegacyAppDll]);
            command.Environment["Urls"] = $"http://127.0.0.1:{port}/";
            command.Environment["Database__Provider"] = "Npgsql";
            command.Environment["Database__ConnectionString"] = connectionString;
            command.Environment["HealthEndpoint__CheckTimeout"] = "00:00:01";

            // Every status request runs the checks, so a test sees a stop or start at once, not a reused result.
            command.Environment["HealthEndpoint__StatusCacheDuration"] = "00:00:00";
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                command.Environment[key] = value;
            }

            return command;
        }));
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
            var output = app._process.Output;
            await app.DisposeAsync();
            throw new InvalidOperationException("LegacyApp did not start:\n" + output, exception);
        }
    }

    /// <summary>
    /// Returns once status answers 200. Ping answering says the app runs; the first database check of a cold process
    /// loads Npgsql and opens the first connection, which on a loaded machine can still miss the 1 s CheckTimeout.
    /// </summary>
    public Task WaitHealthyAsync() => Poll.UntilAsync(
        async () => (await HttpProbe.GetAsync(new Uri($"http://{Authority}/healthz/status"), TimeSpan.FromSeconds(5))).StatusCode == 200,
        TimeSpan.FromSeconds(30),
        "LegacyApp's status answers 200");

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
