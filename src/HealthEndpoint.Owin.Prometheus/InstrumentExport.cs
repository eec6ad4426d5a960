using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace HealthEndpoint.Owin.Prometheus;

/// <summary>One instrument's prometheus-net collector, created at its first measurement, when the tag keys are known.</summary>
/// <remarks>
/// Prometheus needs a fixed label set per metric: the first measurement's tag keys are it; a later measurement's
/// missing tags are empty labels and its extra tags are dropped. An instrument whose name another one already took
/// with another type or labels is left off the page rather than breaking it.
/// </remarks>
internal sealed class InstrumentExport
{
    // OpenTelemetry's semantic-convention buckets for durations in seconds (HTTP server duration, for one).
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly IMetricFactory _factory;
    private readonly InstrumentKind _kind;
    private readonly string _name;
    private readonly string _help;
    private readonly double[] _buckets;
    private readonly object _gate = new();
    private volatile Collector? _collector;
    private volatile bool _failed;
    private string[] _tagKeys = [];

    private InstrumentExport(IMetricFactory factory, Instrument instrument, InstrumentKind kind)
    {
        _factory = factory;
        _kind = kind;
        _name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, kind);
        _help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description!;
        _buckets = instrument.Unit == "s" ? SecondsBuckets : Histogram.ExponentialBuckets(0.001, 2, 16);
    }

    public static bool TryCreate(IMetricFactory factory, Instrument instrument, out InstrumentExport export)
    {
        var kind = InstrumentKinds.Of(instrument);
        export = kind == InstrumentKind.Unknown ? null! : new InstrumentExport(factory, instrument, kind);
        return kind != InstrumentKind.Unknown;
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var collector = _collector ?? Create(tags);
        if (collector is null)
        {
            return;
        }

        var labels = LabelValues(tags);
        switch (_kind)
        {
            case InstrumentKind.Counter:
                Child((Counter)collector, labels).Inc(Math.Max(0, value));
                break;
            case InstrumentKind.ObservableCounter:
                Child((Counter)collector, labels).IncTo(value);
                break;
            case InstrumentKind.UpDownCounter:
                Child((Gauge)collector, labels).Inc(value);
                break;
            case InstrumentKind.Histogram:
                Child((Histogram)collector, labels).Observe(value);
                break;
            default:
                Child((Gauge)collector, labels).Set(value);
                break;
        }
    }

    private static ICounter Child(Counter counter, string[] labels) => labels.Length == 0 ? counter : counter.WithLabels(labels);

    private static IGauge Child(Gauge gauge, string[] labels) => labels.Length == 0 ? gauge : gauge.WithLabels(labels);

    private static IHistogram Child(Histogram histogram, string[] labels) => labels.Length == 0 ? histogram : histogram.WithLabels(labels);

    private Collector? Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var keys = new string[tags.Length];
        var labelNames = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            keys[i] = tags[i].Key;
            labelNames[i] = PrometheusNames.LabelName(tags[i].Key);
        }

        lock (_gate)
        {
            if (_collector is not null || _failed)
            {
                return _collector;
            }

            try
            {
                _tagKeys = keys;
                _collector = _kind switch
                {
                    InstrumentKind.Counter or InstrumentKind.ObservableCounter =>
                        _factory.CreateCounter(_name, _help, new CounterConfiguration { LabelNames = labelNames }),
                    InstrumentKind.Histogram =>
                        _factory.CreateHistogram(_name, _help, new HistogramConfiguration { LabelNames = labelNames, Buckets = _buckets }),
                    _ => _factory.CreateGauge(_name, _help, new GaugeConfiguration { LabelNames = labelNames }),
                };
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                // The name clashes with another instrument's metric (another type or label set), or two tag keys
                // map to one label name: this instrument stays off the page, the others are still served.
                _failed = true;
            }

            return _collector;
        }
    }

    private string[] LabelValues(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var keys = _tagKeys;
        if (keys.Length == 0)
        {
            return [];
        }

        var values = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            values[i] = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == keys[i])
                {
                    values[i] = tag.Value switch
                    {
                        null => string.Empty,
                        string text => text,
                        bool flag => flag ? "true" : "false",
                        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                        var other => other.ToString() ?? string.Empty,
                    };
                    break;
                }
            }
        }

        return values;
    }
}
