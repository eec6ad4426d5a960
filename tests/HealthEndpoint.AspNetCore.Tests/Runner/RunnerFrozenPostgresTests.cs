using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HealthEndpoint.AspNetCore.Tests.Runner;

/// <summary>
/// What aspnetcore#59561 asks for, shown over Kestrel's sockets: PostgreSQL frozen (SIGSTOP) for 12 s while 100
/// clients ask an unchanged <c>MapHealthChecks</c> endpoint with Xabaril's NpgSql check for status back to back, once
/// with the opt-in runner and once without it (the control), in the same frozen window. Each app reaches PostgreSQL
/// through its own <see cref="TcpRelay"/>, which counts the connections the app opens.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RunnerFrozenPostgresTests
{
    private const int Clients = 100;
    private static readonly TimeSpan FrozenWindow = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CheckTimeout = new Owin.HealthEndpointOptions().CheckTimeout;

    // The promise is CheckTimeout + 250 ms, which the bench measures (docs/performance.md). Here the Test target's
    // other suites share two cores with 200 clients (measured: 2.61 s at load average 40), so the test allows the
    // scheduler a second more; the control misses it by ten.
    private static readonly TimeSpan SlowestBound = CheckTimeout + TimeSpan.FromSeconds(1);

    [Test]
    public async Task MapHealthChecks_PostgresFrozen12sUnder100Clients_WithRunnerBoundedAndNoNewConnection_WithoutPilesUp()
    {
        await using var oursRelay = TcpRelay.Start(RunnerServers.Postgres.Port, maxConnections: 512);
        await using var controlRelay = TcpRelay.Start(RunnerServers.Postgres.Port, maxConnections: 512);
        await using var ours = await RunnerApp.StartAsync(runner: true, checks => checks.AddNpgSql(Through(oursRelay), name: "postgres"));
        await using var control = await RunnerApp.StartAsync(runner: false, checks => checks.AddNpgSql(Through(controlRelay), name: "postgres"));
        foreach (var app in new[] { ours, control })
        {
            Assert.That(await StatusAsync(app), Is.EqualTo(200), "control: healthy before the freeze");
        }

        oursRelay.ResetCounts();
        controlRelay.ResetCounts();
        List<Answer> oursAnswers, controlAnswers;
        int oursAttempts, controlAttempts;
        RunnerServers.Postgres.Freeze();
        try
        {
            var window = Stopwatch.GetTimestamp() + (long)(FrozenWindow.TotalSeconds * Stopwatch.Frequency);
            var oursFlood = FloodAsync(ours, window);
            var controlFlood = FloodAsync(control, window);
            await Task.Delay(FrozenWindow);
            (oursAttempts, controlAttempts) = (oursRelay.Counts.Accepted, controlRelay.Counts.Accepted);
            RunnerServers.Postgres.Thaw();
            (oursAnswers, controlAnswers) = (await oursFlood, await controlFlood);
        }
        finally
        {
            RunnerServers.Postgres.Thaw();
        }

        var oursRun = Summary.Of(oursAnswers);
        var controlRun = Summary.Of(controlAnswers);
        TestContext.Out.WriteLine($"PostgreSQL frozen {FrozenWindow.TotalSeconds:0} s, {Clients} clients per app, MapHealthChecks with AddNpgSql:");
        TestContext.Out.WriteLine($"  with AddHealthEndpointRunner: {oursRun}; new PostgreSQL connections {oursAttempts}");
        TestContext.Out.WriteLine($"  without (control):            {controlRun}; new PostgreSQL connections {controlAttempts}");
        Assert.Multiple(() =>
        {
            Assert.That(oursRun.Unanswered, Is.Zero, "with the runner: every request answered");
            Assert.That(oursRun.Slowest, Is.LessThanOrEqualTo(SlowestBound), "with the runner: slowest answer");
            // 503 throughout, but for a healthy run reused from just before the freeze or a request answered after the thaw.
            Assert.That(oursRun.Codes, Does.Contain(503), "with the runner: the outage shows");
            Assert.That(oursAttempts, Is.LessThanOrEqualTo(1), "with the runner: new connection attempts");
            Assert.That(controlRun.Slowest, Is.GreaterThan(FrozenWindow - TimeSpan.FromSeconds(2)), "control: requests hang through the freeze");
            Assert.That(controlAttempts, Is.GreaterThanOrEqualTo(Clients / 2), "control: a connection attempt per request");
        });
    }

    /// <summary>One request: when it was sent and answered, and its status (0: no answer within the client's timeout).</summary>
    private readonly record struct Answer(TimeSpan Latency, int Status);

    private sealed record Summary(int Answered, int Unanswered, TimeSpan Slowest, int[] Codes)
    {
        public static Summary Of(List<Answer> answers)
        {
            var answered = answers.Where(answer => answer.Status != 0).ToList();
            return new Summary(
                answered.Count,
                answers.Count - answered.Count,
                answered.Count == 0 ? TimeSpan.Zero : answered.Max(answer => answer.Latency),
                answered.Select(answer => answer.Status).Distinct().Order().ToArray());
        }

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Answered} answers ({string.Join("/", Codes)}), {Unanswered} unanswered in {ClientTimeout.TotalSeconds:0} s, slowest {Slowest.TotalSeconds:0.00} s");
    }

    // Clients send status back to back until the window closes; requests in flight then are awaited (each bounded by
    // the client's timeout).
    private static async Task<List<Answer>> FloodAsync(RunnerApp app, long windowEnd)
    {
        using var client = app.Client(Clients, ClientTimeout);
        var loops = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            var answers = new List<Answer>();
            while (Stopwatch.GetTimestamp() < windowEnd)
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(new Uri(RunnerApp.StatusPath, UriKind.Relative));
                    await response.Content.ReadAsStringAsync();
                    answers.Add(new Answer(Stopwatch.GetElapsedTime(sent), (int)response.StatusCode));
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    answers.Add(new Answer(Stopwatch.GetElapsedTime(sent), 0));
                }
            }

            return answers;
        }));
        return (await Task.WhenAll(loops)).SelectMany(answers => answers).ToList();
    }

    private static async Task<int> StatusAsync(RunnerApp app)
    {
        using var client = app.Client(1, ClientTimeout);
        using var response = await client.GetAsync(new Uri(RunnerApp.StatusPath, UriKind.Relative));
        return (int)response.StatusCode;
    }

    private static string Through(TcpRelay relay) =>
        new NpgsqlConnectionStringBuilder(RunnerServers.Postgres.ConnectionString) { Port = relay.Port }.ConnectionString;
}
