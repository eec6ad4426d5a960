using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Prometheus;

namespace HealthEndpoint.Owin.Prometheus;

/// <summary>
/// The metrics page in Prometheus text format (0.0.4): the <c>HealthEndpoint.Owin</c> meter and any other
/// <see cref="System.Diagnostics.Metrics.Meter"/>s the host names, for <see cref="HealthEndpointOptions.MetricsPage"/>.
/// </summary>
/// <remarks>
/// A <see cref="System.Diagnostics.Metrics.MeterListener"/> copies measurements into a private prometheus-net
/// registry, which renders the page into the response on each scrape (observable instruments are read then). Names
/// follow OpenTelemetry's Prometheus mapping: <c>healthendpoint.check.duration</c> in <c>s</c> becomes
/// <c>healthendpoint_check_duration_seconds</c>, counters end in <c>_total</c>, tag keys become label names with
/// <c>_</c> for <c>.</c>. Dispose the page to stop listening.
/// </remarks>
public sealed class PrometheusMetricsPage : MetricsPage, IDisposable
{
    private readonly CollectorRegistry _registry;
    private readonly MeterBridge _bridge;

    /// <summary>A page with the health endpoint's meter only.</summary>
    public PrometheusMetricsPage()
        : this(Array.Empty<string>())
    {
    }

    /// <summary>A page with the health endpoint's meter and the named ones, for example <c>System.Runtime</c>.</summary>
    /// <param name="additionalMeters">Meter names matched exactly (ordinal); unknown names show nothing until such a meter exists.</param>
    public PrometheusMetricsPage(IEnumerable<string> additionalMeters)
    {
        if (additionalMeters is null)
        {
            throw new ArgumentNullException(nameof(additionalMeters));
        }

        var meters = new HashSet<string>(additionalMeters, StringComparer.Ordinal) { HealthEndpointMiddleware.MeterName };
        _registry = Metrics.NewCustomRegistry();
        _bridge = new MeterBridge(Metrics.WithCustomRegistry(_registry), meters);
        _registry.AddBeforeCollectCallback(_bridge.RecordObservableInstruments);
    }

    /// <summary>Prometheus' text exposition format, version 0.0.4.</summary>
    public override string ContentType => "text/plain; version=0.0.4; charset=utf-8";

    /// <inheritdoc />
    public override Task WriteAsync(Stream body, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(body, cancellationToken);

    /// <summary>Stops listening to the meters; the page keeps the last values.</summary>
    public void Dispose() => _bridge.Dispose();
}
