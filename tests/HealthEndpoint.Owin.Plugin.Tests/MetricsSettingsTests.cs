using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Plugin.Tests;

/// <summary>HealthEndpoint:MetricsPath and :MetricsMeters turn on the Prometheus page from configuration.</summary>
[TestFixture]
public sealed class MetricsSettingsTests
{
    [Test]
    public async Task Plugin_MetricsPathSet_ServesPrometheusTextInFrontOfTheApp()
    {
        var app = new RecordingApp();
        using var plugin = new ConfiguredHealthEndpoint(new PluginContext(Configuration(("HealthEndpoint:MetricsPath", "/metrics"))));
        var wrapped = plugin.Wrap(app.Invoke);

        await wrapped(OwinEnvironment.Create("GET", "/healthz/status"));
        var scrape = OwinEnvironment.Create("GET", "/metrics");
        await wrapped(scrape);

        Assert.That(scrape.StatusCode(), Is.EqualTo(200));
        Assert.That(scrape.ResponseHeader("Content-Type"), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        Assert.That(scrape.ResponseBodyText(), Does.Contain("healthendpoint_status_runs_total{healthendpoint_run_result=\"started\"}"));
        Assert.That(app.Calls, Is.Zero);
    }

    [Test]
    public async Task Plugin_MetricsPathUnset_MetricsReachesTheApp()
    {
        var app = new RecordingApp();
        using var plugin = new ConfiguredHealthEndpoint(new PluginContext(Configuration()));

        await plugin.Wrap(app.Invoke)(OwinEnvironment.Create("GET", "/metrics"));

        Assert.That(app.Calls, Is.EqualTo(1));
    }

    [TestCase("HealthEndpoint:MetricsPath", "metrics", null, "must start with '/'")]
    [TestCase("HealthEndpoint:MetricsPath", "/healthz/ping", null, "must differ from HealthEndpoint:PingPath")]
    [TestCase("HealthEndpoint:MetricsMeters", null, "System.Runtime", "is only used with HealthEndpoint:MetricsPath")]
    public void Plugin_BadMetricsSetting_ThrowsNamingTheKey(string key, string? path, string? meters, string problem)
    {
        var configuration = Configuration(("HealthEndpoint:MetricsPath", path), ("HealthEndpoint:MetricsMeters", meters));

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => _ = new ConfiguredHealthEndpoint(new PluginContext(configuration)));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { key }));
        Assert.That(exception.Message, Does.Contain(problem));
    }

    [Test]
    public async Task Plugin_MetricsMeters_PutsTheNamedMeterOnThePage()
    {
        using var meter = new System.Diagnostics.Metrics.Meter("Plugin.Metrics.Tests.Extra");
        var configuration = Configuration(("HealthEndpoint:MetricsPath", "/metrics"), ("HealthEndpoint:MetricsMeters", "Other.Meter; Plugin.Metrics.Tests.Extra"));
        using var plugin = new ConfiguredHealthEndpoint(new PluginContext(configuration));
        meter.CreateCounter<long>("plugin.extra.hits").Add(7);

        var scrape = OwinEnvironment.Create("GET", "/metrics");
        await plugin.Wrap(new RecordingApp().Invoke)(scrape);

        Assert.That(scrape.ResponseBodyText(), Does.Contain("plugin_extra_hits_total 7\n"));
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] pairs)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in pairs)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
