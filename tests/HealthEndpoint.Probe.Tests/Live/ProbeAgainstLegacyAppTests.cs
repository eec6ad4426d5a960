using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Probe.Tests.Live;

/// <summary>
/// The built tool, as its own process, against LegacyApp on real PostgreSQL: healthy, PostgreSQL stopped, and
/// started again; exact exit codes and output lines in both modes.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class ProbeAgainstLegacyAppTests
{
    private const string Time = @"'time'=\d+\.\d{3}s;;;0";

    private static string Url(string path) => $"http://{LiveEnvironment.App.Authority}{path}";

    private static string UrlPattern(string path) => $@"http://127\.0\.0\.1:{LiveEnvironment.App.Port}{path}";

    [Test]
    public async Task Ping_ContainerMode_ExitsZeroWithOkLine()
    {
        var run = await ProbeProcess.RunAsync(Url("/healthz/ping"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Line, Does.Match($@"^OK 200 GET {UrlPattern("/healthz/ping")} in \d+ ms$"));
    }

    [Test]
    public async Task Ping_MonitoringMode_IsOkWithTimePerfdataOnly()
    {
        var run = await ProbeProcess.RunAsync("--plugin", Url("/healthz/ping"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Line, Does.Match($@"^HEALTHENDPOINT OK - 200 in \d+ ms \| {Time}$"));
    }

    [Test]
    public async Task Status_MonitoringMode_IsOkWithDatabasePerfdataAndNoSkippedRedis()
    {
        var run = await ProbeProcess.RunAsync("--plugin", "--timeout", "5s", Url("/healthz/status"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Line, Does.Match($@"^HEALTHENDPOINT OK - 200 in \d+ ms, database ok, redis skipped \| {Time} 'database'=1;;1:;0;1$"));
    }

    [Test]
    public async Task Status_PostgresStopped_CriticalAndFailThenOkOnceStartedAgain()
    {
        try
        {
            await LiveEnvironment.Postgres.StopAsync();

            var monitoring = await ProbeProcess.RunAsync("--plugin", Url("/healthz/status"));
            var container = await ProbeProcess.RunAsync(Url("/healthz/status"));
            var ping = await ProbeProcess.RunAsync(Url("/healthz/ping"));

            Assert.That(monitoring.ExitCode, Is.EqualTo(2), monitoring.ToString());
            Assert.That(monitoring.Line, Does.Match($@"^HEALTHENDPOINT CRITICAL - 503 in \d+ ms, database fail \| {Time} 'database'=0;;1:;0;1$"));
            Assert.That(container.ExitCode, Is.EqualTo(1), container.ToString());
            Assert.That(container.Line, Does.Match($@"^FAIL 503 GET {UrlPattern("/healthz/status")} in \d+ ms \(expected 2xx\)$"));
            Assert.That(ping.ExitCode, Is.Zero, "ping does not depend on the database: " + ping);

            await LiveEnvironment.Postgres.StartAgainAsync();
            ProbeRun? recovered = null;
            await Poll.UntilAsync(
                async () => (recovered = await ProbeProcess.RunAsync("--plugin", Url("/healthz/status"))).ExitCode == 0,
                TimeSpan.FromSeconds(15),
                "the probe reports OK after PostgreSQL started again");
            Assert.That(recovered!.Line, Does.Match($@"^HEALTHENDPOINT OK - 200 in \d+ ms, database ok, redis skipped \| {Time} 'database'=1;;1:;0;1$"));
        }
        finally
        {
            await LiveEnvironment.EnsurePostgresRunningAsync();
        }
    }

    [Test]
    public async Task Status_ExpectOnly204_IsCriticalNamingTheExpectation()
    {
        var run = await ProbeProcess.RunAsync("--plugin", "--expect", "204", Url("/healthz/status"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Line, Does.Match($@"^HEALTHENDPOINT CRITICAL - 200 in \d+ ms \(expected 204\) \| {Time} 'database'=1;;1:;0;1$"));
    }
}
