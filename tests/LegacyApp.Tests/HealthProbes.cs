using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>One health response as a probe saw it, with its latency.</summary>
internal sealed record ProbeRecord(string Path, int StatusCode, string Body, string Headers, TimeSpan Latency);

/// <summary>Sends timed probes and checks that responses reveal nothing about the servers behind the app.</summary>
internal static class HealthProbes
{
    public const string StatusPath = "/healthz/status";
    public const string PingPath = "/healthz/ping";

    // Exception text, driver and server names; "Redis" with a capital R (the check name is lowercase).
    private static readonly string[] CaseSensitiveWords = ["Exception", "Npgsql", "Redis", "Set-Cookie"];
    private static readonly string[] CaseInsensitiveWords = ["timeout", "timed out", "postgres", "refused"];

    public static async Task<ProbeRecord> SendAsync(LegacyAppHost host, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await host.SendAsync(HttpMethod.Get, path);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        var headers = new StringBuilder();
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            headers.Append(header.Key).Append(": ").AppendJoin(", ", header.Value).Append('\n');
        }

        return new ProbeRecord(path, (int)response.StatusCode, body, headers.ToString(), clock.Elapsed);
    }

    /// <summary>
    /// Status once it is 200, polled as a load balancer polls a new instance: the first run in a new process loads
    /// the database driver and opens the first connection, which on a loaded 2-core machine has taken longer than the
    /// tests' 1 s CheckTimeout (CI at 2cfa051).
    /// </summary>
    public static async Task<ProbeRecord> HealthyStatusAsync(LegacyAppHost host)
    {
        ProbeRecord? last = null;
        await Poll.UntilAsync(
            async () => (last = await SendAsync(host, StatusPath)).StatusCode == 200,
            TimeSpan.FromSeconds(15),
            "status 200");
        return last!;
    }

    /// <summary>No body or header of any health response holds a secret or a word of exception text.</summary>
    public static void AssertNothingLeaks(IEnumerable<ProbeRecord> records, IEnumerable<string> secrets)
    {
        var health = records.Where(record => record.Path is StatusPath or PingPath).ToList();
        var texts = health.SelectMany(record => new[] { record.Body, record.Headers }).ToList();
        Assert.That(health, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var secret in secrets.Concat(CaseSensitiveWords))
            {
                Assert.That(texts, Has.None.Contains(secret), $"'{secret}' in a response");
            }

            foreach (var word in CaseInsensitiveWords)
            {
                Assert.That(texts, Has.None.Contains(word).IgnoreCase, $"'{word}' in a response");
            }
        });
    }
}
