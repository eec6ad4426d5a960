using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Probe;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Probe.Tests.Live;

/// <summary>
/// The built tool in monitoring mode against a second LegacyApp with <c>HealthEndpoint:HealthJson=true</c> on the
/// same real PostgreSQL: it asks for health+json, gets it, and reports the database check's own latency.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class ProbeAgainstHealthJsonAppTests
{
    private const string Time = @"'time'=\d+\.\d{3}s;;;0";
    private const string DatabaseTime = @"'database_time'=\d+\.\d{3,6}s;;;0";

    private LegacyAppProcess _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _app = await LegacyAppProcess.StartAsync(
            LiveEnvironment.Postgres.ConnectionString,
            new Dictionary<string, string> { ["HealthEndpoint__HealthJson"] = "true" });
        await _app.WaitHealthyAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    public async Task GetAsync_DetailRequested_ServerAnswersHealthJson()
    {
        var detailed = await HttpProbe.GetAsync(Url("/healthz/status"), TimeSpan.FromSeconds(5), detail: true);
        var plain = await HttpProbe.GetAsync(Url("/healthz/status"), TimeSpan.FromSeconds(5), detail: false);

        Assert.That(detailed.MediaType, Is.EqualTo("application/health+json"), detailed.Body);
        Assert.That(detailed.Body, Does.Contain("\"observedUnit\":\"ms\""));

        // Control: the same server answers the RT JSON to the container mode's Accept.
        Assert.That(plain.MediaType, Is.EqualTo("application/json"));
        Assert.That(plain.Body, Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
    }

    [Test]
    public async Task Status_MonitoringMode_PerfdataCarriesDatabaseLatency()
    {
        var run = await ProbeProcess.RunAsync("--plugin", "--timeout", "5s", Url("/healthz/status").ToString());
        TestContext.Out.WriteLine(run.Line);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Line, Does.Match($@"^HEALTHENDPOINT OK - 200 in \d+ ms, database ok \| {Time} 'database'=1;;1:;0;1 {DatabaseTime}$"));
    }

    [Test]
    public async Task Status_PostgresStopped_CriticalWithDatabaseFailAndItsLatency()
    {
        try
        {
            await LiveEnvironment.Postgres.StopAsync();

            var run = await ProbeProcess.RunAsync("--plugin", "--timeout", "5s", Url("/healthz/status").ToString());

            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Line, Does.Match($@"^HEALTHENDPOINT CRITICAL - 503 in \d+ ms, database fail \| {Time} 'database'=0;;1:;0;1 {DatabaseTime}$"));
        }
        finally
        {
            await LiveEnvironment.EnsurePostgresRunningAsync();

            // Both apps' pools hold connections to the stopped server: leave them healthy for the tests that follow.
            await HealthyAsync(Url("/healthz/status"));
            await HealthyAsync(new Uri($"http://{LiveEnvironment.App.Authority}/healthz/status"));
        }
    }

    private static Task HealthyAsync(Uri status) => Poll.UntilAsync(
        async () => (await HttpProbe.GetAsync(status, TimeSpan.FromSeconds(5))).StatusCode == 200,
        TimeSpan.FromSeconds(30),
        $"{status} answers 200");

    private Uri Url(string path) => new($"http://{_app.Authority}{path}");
}
