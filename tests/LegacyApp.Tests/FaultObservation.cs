using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace LegacyApp.Tests;

/// <summary>How the fault matrix watches LegacyApp through a fault: sampling, polling, the shared assertions, the log.</summary>
internal static class FaultObservation
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Status and ping, alternately, until the window closes or the token fires.</summary>
    public static async Task<List<ProbeRecord>> SampleAsync(LegacyAppHost host, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var records = new List<ProbeRecord>();
        var clock = Stopwatch.StartNew();
        while ((window == Timeout.InfiniteTimeSpan || clock.Elapsed < window) && !cancellationToken.IsCancellationRequested)
        {
            records.Add(await HealthProbes.SendAsync(host, HealthProbes.StatusPath));
            records.Add(await HealthProbes.SendAsync(host, HealthProbes.PingPath));
            try
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return records;
    }

    /// <summary>Status every ~100 ms (or <paramref name="interval"/>) until <paramref name="done"/> holds; fails the test at the deadline.</summary>
    public static async Task<List<ProbeRecord>> PollStatusAsync(LegacyAppHost host, Func<ProbeRecord, bool> done, TimeSpan deadline, TimeSpan? interval = null)
    {
        var records = new List<ProbeRecord>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var record = await HealthProbes.SendAsync(host, HealthProbes.StatusPath);
            records.Add(record);
            if (done(record))
            {
                return records;
            }

            Assert.That(clock.Elapsed, Is.LessThan(deadline), $"status still {record.StatusCode} {record.Body} after {clock.Elapsed.TotalMilliseconds:0} ms");
            await Task.Delay(interval ?? PollInterval);
        }
    }

    /// <summary>During a fault: several status answers, each 503 with the failing check, within the deadline; ping 200.</summary>
    public static void AssertFaultResponses(List<ProbeRecord> records, string failBody, TimeSpan responseBound)
    {
        var statuses = records.Where(record => record.Path == HealthProbes.StatusPath).ToList();
        Assert.That(statuses, Has.Count.GreaterThanOrEqualTo(3), "several status requests during the fault");
        Assert.That(statuses.Select(record => (record.StatusCode, record.Body)), Is.All.EqualTo((503, failBody)));
        Assert.That(statuses.Select(record => record.Latency), Is.All.LessThanOrEqualTo(responseBound), "each status answer within CheckTimeout + 250 ms");
        Assert.That(records.Where(record => record.Path == HealthProbes.PingPath).Select(record => (record.StatusCode, record.Body)), Is.All.EqualTo((200, "pong")));
    }

    /// <summary>While a fault begins or ends, status is either exact answer, always within the deadline.</summary>
    public static void AssertTransitionResponses(List<ProbeRecord> records, string failBody, string okBody, TimeSpan responseBound)
    {
        var statuses = records.Where(record => record.Path == HealthProbes.StatusPath).ToList();
        Assert.That(statuses.Select(record => (record.StatusCode, record.Body)), Is.All.AnyOf((503, failBody), (200, okBody)));
        Assert.That(statuses.Select(record => record.Latency), Is.All.LessThanOrEqualTo(responseBound));
    }

    /// <summary>Writes every latency seen, for the test log: the measured figures behind the fault matrix.</summary>
    public static void Report(string fault, List<ProbeRecord> during, List<ProbeRecord> onset, TimeSpan? recovered)
    {
        static string Latencies(IEnumerable<ProbeRecord> records, string path) => string.Join(" ", records
            .Where(record => record.Path == path)
            .Select(record => string.Create(CultureInfo.InvariantCulture, $"{record.StatusCode}/{record.Latency.TotalMilliseconds:0}")));
        TestContext.Out.WriteLine($"{fault}: onset status (code/ms) {Latencies(onset, HealthProbes.StatusPath)}");
        TestContext.Out.WriteLine($"{fault}: during status (code/ms) {Latencies(during, HealthProbes.StatusPath)}");
        TestContext.Out.WriteLine($"{fault}: during ping (code/ms) {Latencies(during, HealthProbes.PingPath)}");
        TestContext.Out.WriteLine($"{fault}: 200 again after {recovered?.TotalMilliseconds:0} ms");
    }
}
