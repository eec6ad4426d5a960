namespace HealthEndpoint.Owin.Prometheus.Tests;

/// <summary>OpenTelemetry's Prometheus naming: the agreed series names and the spec's edge cases.</summary>
[TestFixture]
public sealed class PrometheusNamesTests
{
    [TestCase("healthendpoint.check.duration", "s", "Histogram", "healthendpoint_check_duration_seconds")]
    [TestCase("healthendpoint.check.state", "{state}", "Gauge", "healthendpoint_check_state")]
    [TestCase("healthendpoint.status.runs", "{run}", "Counter", "healthendpoint_status_runs_total")]
    [TestCase("healthendpoint.requests", "{request}", "Counter", "healthendpoint_requests_total")]
    [TestCase("healthendpoint.check.abandoned", "{operation}", "Gauge", "healthendpoint_check_abandoned")]
    [TestCase("dotnet.gc.heap.total_allocated", "By", "ObservableCounter", "dotnet_gc_heap_total_allocated_bytes_total")]
    [TestCase("process.cpu.utilization", "1", "Gauge", "process_cpu_utilization_ratio")]
    [TestCase("http.requests", "1", "Counter", "http_requests_total")]
    [TestCase("net.throughput", "By/s", "Gauge", "net_throughput_bytes_per_second")]
    [TestCase("queue.wait_seconds", "s", "Histogram", "queue_wait_seconds")]
    [TestCase("jobs_total", null, "Counter", "jobs_total")]
    [TestCase("my-app..hits", "", "UpDownCounter", "my_app_hits")]
    [TestCase("9lives", null, "Gauge", "_9lives")]
    public void MetricName_Instrument_MapsLikeOpenTelemetry(string name, string? unit, string kind, string expected)
    {
        Assert.That(PrometheusNames.MetricName(name, unit, System.Enum.Parse<InstrumentKind>(kind)), Is.EqualTo(expected));
    }

    [TestCase("healthendpoint.check.name", "healthendpoint_check_name")]
    [TestCase("http.response.status_code", "http_response_status_code")]
    [TestCase("a:b", "a_b")]
    [TestCase("1st", "_1st")]
    public void LabelName_TagKey_IsAValidLabelName(string key, string expected)
    {
        Assert.That(PrometheusNames.LabelName(key), Is.EqualTo(expected));
    }
}
