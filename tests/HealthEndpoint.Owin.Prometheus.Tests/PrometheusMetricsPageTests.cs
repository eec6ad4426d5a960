using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Prometheus.Tests;

/// <summary>The page over a stand-in meter: every instrument kind, tags as labels, observables read at scrape time.</summary>
[TestFixture]
public sealed class PrometheusMetricsPageTests
{
    private static int _meterNumber;

    private Meter _meter = null!;
    private PrometheusMetricsPage _page = null!;

    [SetUp]
    public void SetUp()
    {
        // A meter name of its own per test, so no other test's measurements reach this page.
        _meter = new Meter("Prometheus.Page.Tests." + Interlocked.Increment(ref _meterNumber));
        _page = new PrometheusMetricsPage([_meter.Name]);
    }

    [TearDown]
    public void TearDown()
    {
        _page.Dispose();
        _meter.Dispose();
    }

    [Test]
    public async Task WriteAsync_CounterWithTags_TotalWithLabels()
    {
        var runs = _meter.CreateCounter<long>("test.status.runs", "{run}", "Runs.");
        runs.Add(2, Tag("test.run.result", "started"));
        runs.Add(1, Tag("test.run.result", "cached"));
        runs.Add(1, Tag("test.run.result", "started"));

        var page = await RenderAsync();

        Assert.That(page, Does.Contain("# TYPE test_status_runs_total counter\n"));
        Assert.That(page, Does.Contain("test_status_runs_total{test_run_result=\"started\"} 3\n"));
        Assert.That(page, Does.Contain("test_status_runs_total{test_run_result=\"cached\"} 1\n"));
    }

    [Test]
    public async Task WriteAsync_HistogramInSeconds_SecondsBucketsSumAndCount()
    {
        var duration = _meter.CreateHistogram<double>("test.check.duration", "s");
        duration.Record(0.003, Tag("test.check.name", "database"));
        duration.Record(0.2, Tag("test.check.name", "database"));

        var page = await RenderAsync();

        Assert.That(page, Does.Contain("# TYPE test_check_duration_seconds histogram\n"));
        Assert.That(page, Does.Contain("test_check_duration_seconds_bucket{test_check_name=\"database\",le=\"0.005\"} 1\n"));
        Assert.That(page, Does.Contain("test_check_duration_seconds_bucket{test_check_name=\"database\",le=\"0.25\"} 2\n"));
        Assert.That(page, Does.Contain("test_check_duration_seconds_bucket{test_check_name=\"database\",le=\"+Inf\"} 2\n"));
        Assert.That(page, Does.Contain("test_check_duration_seconds_count{test_check_name=\"database\"} 2\n"));
        Assert.That(page, Does.Contain("test_check_duration_seconds_sum{test_check_name=\"database\"} 0.203\n"));
    }

    [Test]
    public async Task WriteAsync_ObservableGauge_ReadAtEachScrape()
    {
        var state = 1;
        _meter.CreateObservableGauge("test.check.state", () => new Measurement<int>(state, Tag("test.check.name", "redis")), "{state}");

        var first = await RenderAsync();
        state = 0;
        var second = await RenderAsync();

        Assert.That(first, Does.Contain("test_check_state{test_check_name=\"redis\"} 1\n"));
        Assert.That(second, Does.Contain("test_check_state{test_check_name=\"redis\"} 0\n"));
    }

    [Test]
    public async Task WriteAsync_UpDownAndObservableCounters_GaugeAndTotal()
    {
        var inFlight = _meter.CreateUpDownCounter<int>("test.in_flight", "{operation}");
        long total = 40;
        _meter.CreateObservableCounter("test.allocated", () => total, "By");
        inFlight.Add(3);
        inFlight.Add(-1);

        var first = await RenderAsync();
        total = 42;
        var second = await RenderAsync();

        Assert.That(first, Does.Contain("# TYPE test_in_flight gauge\ntest_in_flight 2\n"));
        Assert.That(first, Does.Contain("test_allocated_bytes_total 40\n"));
        Assert.That(second, Does.Contain("test_allocated_bytes_total 42\n"));
    }

    [Test]
    public async Task WriteAsync_MeterNotNamed_IsNotOnThePage()
    {
        using var other = new Meter(_meter.Name + ".other");
        other.CreateCounter<long>("test.unlisted").Add(1);
        _meter.CreateCounter<long>("test.listed").Add(1);

        var page = await RenderAsync();

        Assert.That(page, Does.Contain("test_listed_total 1\n"), "control: the named meter is on the page");
        Assert.That(page, Does.Not.Contain("test_unlisted"));
    }

    [Test]
    public async Task WriteAsync_TwoInstrumentsOneName_FirstKeptAndPageStillServed()
    {
        _meter.CreateCounter<long>("test.clash").Add(5);
        _meter.CreateHistogram<double>("test_clash_total").Record(1);
        _meter.CreateCounter<long>("test.after").Add(1);

        var page = await RenderAsync();

        Assert.That(page, Does.Contain("test_clash_total 5\n"));
        Assert.That(page, Does.Contain("test_after_total 1\n"));
        Assert.That(page, Does.Not.Contain("test_clash_total_bucket"));
    }

    [Test]
    public async Task WriteAsync_LaterMeasurementWithOtherTags_MissingLabelEmptyExtraDropped()
    {
        var counter = _meter.CreateCounter<long>("test.tagged");
        counter.Add(1, Tag("a", "x"));
        counter.Add(1, Tag("b", "y"));

        var page = await RenderAsync();

        Assert.That(page, Does.Contain("test_tagged_total{a=\"x\"} 1\n"));
        Assert.That(page, Does.Contain("test_tagged_total{a=\"\"} 1\n"));
    }

    [Test]
    public async Task Dispose_StopsListening()
    {
        var counter = _meter.CreateCounter<long>("test.after_dispose");
        counter.Add(1);
        _page.Dispose();
        counter.Add(1);

        var page = await RenderAsync();

        Assert.That(page, Does.Contain("test_after_dispose_total 1\n"));
    }

    [Test]
    public void ContentType_IsPrometheusText004()
    {
        Assert.That(_page.ContentType, Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
    }

    [Test]
    public void Constructor_NullMeters_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => _ = new PrometheusMetricsPage(null!));
    }

    private static KeyValuePair<string, object?> Tag(string key, object value) => new(key, value);

    private async Task<string> RenderAsync()
    {
        using var body = new MemoryStream();
        await _page.WriteAsync(body, CancellationToken.None);
        return Encoding.UTF8.GetString(body.ToArray());
    }
}
