using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests.Metrics;

/// <summary>
/// Issue 12's proof of the metrics path: LegacyApp in its own process (sessions in a real Redis, the database check
/// on its SQLite file) with <c>HealthEndpoint:MetricsPath</c> on, scraped every second by Debian's Prometheus.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class PrometheusScrapeTests
{
    private RedisServer _redis = null!;
    private string _directory = null!;
    private ProgramProcess _app = null!;
    private HttpClient _client = null!;
    private string _target = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _redis = await RedisServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("legacyapp-prometheus-").FullName;
        var port = FreeTcpPort.Next();
        _target = $"127.0.0.1:{port}";
        var command = new ProgramCommand("dotnet", [LegacyAppProcessTests.LegacyAppDll()]);
        command.Environment["Urls"] = $"http://{_target}/";
        command.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(_directory, "legacy.db")}";
        command.Environment["WebSession__Class"] = "Redis";
        command.Environment["WebSession__Redis"] = _redis.Configuration;
        command.Environment["HealthEndpoint__MetricsPath"] = "/metrics";
        _app = ProgramProcess.Start(command);
        _client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri($"http://{_target}/") };
        await Poll.UntilAsync(PingsAsync, TimeSpan.FromSeconds(30), "LegacyApp answers ping");

        // The state gauge has a series once a status run happened; Prometheus' scrapes run no checks themselves.
        using var status = await _client.GetAsync("/healthz/status");
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK), _app.Output);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _redis.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Prometheus_ScrapingLegacyApp_ReadsCheckStateAndDurationSeries()
    {
        await using var prometheus = await PrometheusServer.StartAsync(_target, "/metrics");
        const string state = "healthendpoint_check_state{healthendpoint_check_name=\"database\"}";
        const string count = "healthendpoint_check_duration_seconds_count{healthendpoint_check_name=\"database\",healthendpoint_check_outcome=\"ok\"}";
        const string bucket = "healthendpoint_check_duration_seconds_bucket{healthendpoint_check_name=\"database\",le=\"+Inf\"}";

        await Poll.UntilAsync(async () => (await prometheus.QueryAsync(state)).Count > 0, TimeSpan.FromSeconds(20), "Prometheus has scraped the state series");
        var states = await prometheus.QueryAsync(state);
        var counts = await prometheus.QueryAsync(count);
        var buckets = await prometheus.QueryAsync(bucket);
        var up = await prometheus.QueryAsync("up{job=\"legacyapp\"}");
        var redis = await prometheus.QueryAsync("healthendpoint_check_state{healthendpoint_check_name=\"redis\"}");

        Assert.Multiple(() =>
        {
            Assert.That(up.Select(series => series.Value), Is.EqualTo(new[] { 1.0 }), prometheus.Output);
            Assert.That(states.Select(series => series.Value), Is.EqualTo(new[] { 1.0 }));
            Assert.That(redis.Select(series => series.Value), Is.EqualTo(new[] { 1.0 }));
            Assert.That(counts.Select(series => series.Value), Is.EqualTo(new[] { 1.0 }), "one status run, one duration measurement");
            Assert.That(buckets.Select(series => series.Value), Is.EqualTo(new[] { 1.0 }));
        });
    }

    [Test]
    public async Task Promtool_CheckMetrics_AcceptsTheScrapedPage()
    {
        using var response = await _client.GetAsync("/metrics");
        var page = await response.Content.ReadAsStringAsync();

        var (exitCode, output) = await Promtool.CheckMetricsAsync(page);
        var control = await Promtool.CheckMetricsAsync("# TYPE jobs counter\njobs 1\n");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page, Does.Contain("# TYPE healthendpoint_check_duration_seconds histogram"));
        Assert.That((exitCode, output.Trim()), Is.EqualTo((0, string.Empty)), page);
        Assert.That(control.ExitCode, Is.Not.Zero, "control: promtool rejects a counter without _total and help");
    }

    [Test]
    public async Task Scrapes_Thousand_CreateNoSessionWhileAppRequestsDo()
    {
        var keysBefore = await _redis.CountKeysAsync();
        for (var i = 0; i < 1000; i++)
        {
            using var scrape = new HttpRequestMessage(i % 2 == 0 ? HttpMethod.Get : HttpMethod.Head, "/metrics");
            using var response = await _client.SendAsync(scrape);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
        }

        var keysAfterScrapes = await _redis.CountKeysAsync();
        for (var i = 0; i < 100; i++)
        {
            using var page = await _client.GetAsync("/");
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var keysAfterPages = await _redis.CountKeysAsync();
        Assert.That(keysAfterScrapes, Is.EqualTo(keysBefore), "1,000 scrapes created no session key");
        Assert.That(keysAfterPages - keysAfterScrapes, Is.EqualTo(100), "control: each cookieless app request creates a session key");
    }

    private async Task<bool> PingsAsync()
    {
        if (_app.HasExited)
        {
            throw new InvalidOperationException($"LegacyApp exited with {_app.ExitCode}: {_app.Output}");
        }

        try
        {
            using var response = await _client.GetAsync("/healthz/ping");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
