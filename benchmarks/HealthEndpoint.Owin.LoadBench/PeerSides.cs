using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>
/// The two sides of the peer pairs, each a child process against the same PostgreSQL and Redis: ours is LegacyApp
/// (its plugin pipeline, checks and defaults) on the Kestrel OWIN host; the peer is benchmarks/AspNetCorePeer.
/// </summary>
internal sealed class PeerSides : IAsyncDisposable
{
    public const string OursName = "ours (LegacyApp, Kestrel host)";
    public const string PeerName = "peer (ASP.NET Core + Xabaril)";
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromSeconds(60);

    private PeerSides(PostgresServer postgres, RedisServer redis, StatementCounter statements)
    {
        Postgres = postgres;
        Redis = redis;
        Statements = statements;
    }

    public PostgresServer Postgres { get; }

    public RedisServer Redis { get; }

    public StatementCounter Statements { get; }

    /// <summary>Starts PostgreSQL (with pg_stat_statements) and Redis; stops whatever started if that fails.</summary>
    public static async Task<PeerSides> StartAsync(CancellationToken cancellationToken)
    {
        var postgres = await PostgresServer.StartAsync();
        RedisServer? redis = null;
        try
        {
            redis = await RedisServer.StartAsync(password: "loadbench-secret");
            return new PeerSides(postgres, redis, await StatementCounter.StartAsync(postgres, cancellationToken));
        }
        catch
        {
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }

            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>LegacyApp on the Kestrel host with PostgreSQL and Redis configured, its status cache at its default or off.</summary>
    public Task<ChildApp> StartOursAsync(bool cacheOff, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["Host__Server"] = "Kestrel",
            ["Database__Provider"] = "Npgsql",
            ["Database__ConnectionString"] = Pool(cacheOff ? "loadbench-ours-nocache" : "loadbench-ours"),
            ["WebSession__Class"] = "Redis",
            ["WebSession__Redis"] = Redis.Configuration,
        };
        if (cacheOff)
        {
            environment["HealthEndpoint__StatusCacheDuration"] = "00:00:00";
        }

        return ChildApp.StartAsync("LegacyAppPath", _ => [], environment, "LegacyApp listening on", cancellationToken);
    }

    /// <summary>
    /// The ASP.NET Core Health Checks peer with its documented defaults; with a <paramref name="variant"/>, pair 10's
    /// same app as that variant (<c>peer</c>, <c>runner</c>, <c>ours</c>; benchmarks/AspNetCorePeer says what each is).
    /// </summary>
    public Task<ChildApp> StartPeerAsync(CancellationToken cancellationToken, string? variant = null)
    {
        var arguments = new List<string> { "--postgres", Pool("loadbench-" + (variant ?? "peer")), "--redis", Redis.Configuration };
        if (variant is not null)
        {
            arguments.AddRange(["--variant", variant]);
        }

        return ChildApp.StartAsync(
            "AspNetCorePeerPath",
            port =>
            [
                "--port", port.ToString(CultureInfo.InvariantCulture), .. arguments,
                "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--max-seconds", "900",
            ],
            new Dictionary<string, string>(),
            "ready",
            cancellationToken);
    }

    /// <summary>Polls status every 20 ms until it answers 200, so that a round never starts on a recovering side.</summary>
    /// <exception cref="TimeoutException">Not healthy within a minute.</exception>
    public static async Task WaitUntilHealthyAsync(ChildApp app, CancellationToken cancellationToken)
    {
        using var client = StatusClients.Create(1, TimeSpan.FromSeconds(30));
        var url = new Uri(app.Url(BenchApps.StatusPath));
        var started = Stopwatch.GetTimestamp();
        while ((await StatusClients.GetAsync(client, url, cancellationToken)).Status != 200)
        {
            if (Stopwatch.GetElapsedTime(started) > HealthyTimeout)
            {
                throw new TimeoutException($"{url} did not answer 200 within {HealthyTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Polls ping every 10 ms until it answers 200 and returns that moment (Stopwatch ticks).</summary>
    public static async Task<long> WaitUntilPingAnswersAsync(ChildApp app, CancellationToken cancellationToken)
    {
        using var client = StatusClients.Create(1, TimeSpan.FromSeconds(10));
        var url = new Uri(app.Url(BenchApps.PingPath));
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var answer = await StatusClients.GetAsync(client, url, cancellationToken);
            if (answer.Status == 200)
            {
                return answer.Answered;
            }

            if (Stopwatch.GetElapsedTime(started) > HealthyTimeout)
            {
                throw new TimeoutException($"{url} did not answer 200 within {HealthyTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Postgres.Thaw();
            Redis.Thaw();
            await Statements.DisposeAsync();
        }
        finally
        {
            await Redis.DisposeAsync();
            await Postgres.DisposeAsync();
        }
    }

    // Each side has its own pool (the application name is part of Npgsql's pool key and shows in pg_stat_activity).
    private string Pool(string applicationName) =>
        new NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { ApplicationName = applicationName }.ConnectionString;
}
